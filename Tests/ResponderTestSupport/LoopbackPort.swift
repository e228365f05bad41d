import Glibc

/// Free loopback ports for the processes tests start (Prometheus, Alertmanager).
public enum LoopbackPort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    public static func free() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackPortError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, size) }
        }
        guard bound == 0 else { throw LoopbackPortError("bind(127.0.0.1:0) failed: errno \(errno)") }
        var length = size
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw LoopbackPortError("getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why no free port could be found.
public struct LoopbackPortError: Error, CustomStringConvertible {
    /// The failing call and errno.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
