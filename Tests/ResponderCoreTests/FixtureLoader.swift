import Foundation

/// Reads test fixtures copied from ../shared/vectors into this target's resources.
enum Fixture {
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return Array(try Data(contentsOf: url))
    }
}
