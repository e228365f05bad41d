import Foundation
import ResponderFuzzTargets
import Testing

/// Every seed and every crash ever found, replayed through the fuzz targets without instrumentation: a crash that comes
/// back kills this test process, a broken invariant fails the test, so each one found stays fixed.
@Suite("fuzz corpus replay")
struct CorpusReplayTests {
    /// The files of `fuzz/<kind>/<target>/`, sorted; empty when the folder does not exist.
    static func files(_ kind: String, _ target: String) -> [String] {
        let folder = FuzzFixtures.path("fuzz/\(kind)/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test("every seed and regression input replays without a crash or a broken invariant", arguments: FuzzTargets.all.map(\.name))
    func replay(target name: String) async throws {
        let target = try #require(FuzzTargets.named(name))
        let inputs = Self.files("corpus", name) + Self.files("regressions", name)
        for file in inputs {
            let bytes = try #require(FileManager.default.contents(atPath: file).map(Array.init), "cannot read \(file)")
            let violation = await OffPool.run { target.check(bytes) }
            #expect(violation == nil, "\(file): \(violation?.description ?? "")")
        }
    }

    @Test("every target has seeds", arguments: FuzzTargets.all.map(\.name))
    func seeded(target name: String) {
        #expect(!Self.files("corpus", name).isEmpty, "fuzz/corpus/\(name)/ is empty")
    }

    @Test("every corpus and regressions folder is named after a target")
    func foldersNameTargets() throws {
        let known = Set(FuzzTargets.all.map(\.name))
        for kind in ["corpus", "regressions"] {
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: FuzzFixtures.path("fuzz/\(kind)"))) ?? []
            for folder in folders where !folder.hasPrefix(".") {
                #expect(known.contains(folder), "fuzz/\(kind)/\(folder) is not a fuzz target")
            }
        }
    }

    @Test("every target has a dictionary or runs without one on purpose")
    func dictionaries() {
        // Tokens do not help the action-link target: its inputs are base64url text and MACs.
        let withoutDictionary: Set<String> = ["action-links"]
        for target in FuzzTargets.all where !withoutDictionary.contains(target.name) {
            #expect(FileManager.default.fileExists(atPath: FuzzFixtures.path("fuzz/dictionaries/\(target.name).dict")),
                    "fuzz/dictionaries/\(target.name).dict is missing")
        }
    }
}
