import ArgumentParser
import Foundation

/// The value of a load, or its `file:line: message` problems on standard error and exit status 1.
func valueOrExit<Value, Problems: Error & CustomStringConvertible>(_ result: Result<Value, Problems>) throws -> Value {
    switch result {
    case .success(let value):
        return value
    case .failure(let problems):
        FileHandle.standardError.write(Data("\(problems)\n".utf8))
        throw ExitCode(1)
    }
}
