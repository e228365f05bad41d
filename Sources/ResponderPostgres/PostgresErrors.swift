import Foundation
import PostgresNIO
import ResponderCore

/// Turns PostgresNIO errors into journal errors that say what failed, without the password.
enum PostgresErrors {
    /// `could not <action>: <what the server or the network said>`; connection failures name `host:port` and what
    /// to check. A ``JournalError`` passes through unchanged.
    static func map(_ error: any Error, doing action: String, url: PostgresURL) -> JournalError {
        if let error = error as? JournalError { return error }
        let message: String
        if let error = error as? PostgresOperationTimeout {
            message = "could not \(action): \(error) (\(url.host):\(url.port), database \(url.database))"
        } else if isConnectionFailure(error) {
            message = "could not \(action): cannot reach PostgreSQL at \(url.host):\(url.port) (database \(url.database), user "
                + "\(url.user), sslmode=\(url.sslMode.rawValue)): \(describe(error)); check that the server runs and the URL's "
                + "host, port, credentials and sslmode are right"
        } else {
            message = "could not \(action): \(describe(error))"
        }
        return .unavailable(scrub(message, url: url))
    }

    /// What the server said (message and SQLSTATE), or the network error under a client error.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            if let info = error.serverInfo, let message = info[.message] {
                let detail = info[.detail].map { " (\($0))" } ?? ""
                return "\(message)\(detail) [SQLSTATE \(info[.sqlState] ?? "?")]"
            }
            if let underlying = error.underlying { return "\(error.code): \(describe(underlying))" }
            return "\(error.code)"
        case let error as PostgresDecodingError:
            return "column \(error.columnName) of type \(error.postgresType) cannot be read as \(error.targetType) (\(error.code))"
        default:
            return String(describing: error)
        }
    }

    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    private static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return !(error is PostgresDecodingError) }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .sslUnsupported,
             .failedToAddSSLHandler, .uncleanShutdown, .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError:
            return true
        case .server:
            // Class 08 is connection exceptions, 28 invalid authorization, 3D an unknown database; 57P01 to 57P03 are
            // the server ending the connection (administrator command, crash, shutting down or starting up).
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("28") || state.hasPrefix("3D") || state.hasPrefix("57P")
        default:
            return false
        }
    }

    private static func scrub(_ message: String, url: PostgresURL) -> String {
        guard let password = url.password, !password.isEmpty else { return message }
        var scrubbed = message.replacingOccurrences(of: password, with: "***")
        if let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != password {
            scrubbed = scrubbed.replacingOccurrences(of: encoded, with: "***")
        }
        return scrubbed
    }
}

/// The TLS settings `sslmode` maps to: `prefer` and `require` encrypt without verifying the server (like libpq),
/// `verify-full` checks the chain against the system roots and the host name.
enum PostgresTLS {
    /// The settings for the connection pool.
    static func client(_ url: PostgresURL) -> PostgresClient.Configuration.TLS {
        switch url.sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(configuration(url))
        case .require, .verifyFull: return .require(configuration(url))
        }
    }

    /// The settings for a single connection (migrations).
    static func connection(_ url: PostgresURL) throws(JournalError) -> PostgresConnection.Configuration.TLS {
        if url.sslMode == .disable { return .disable }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration(url))
        } catch {
            throw .unavailable("could not set up TLS for PostgreSQL (sslmode=\(url.sslMode.rawValue)): \(error)")
        }
        return url.sslMode == .prefer ? .prefer(context) : .require(context)
    }

    private static func configuration(_ url: PostgresURL) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if url.sslMode != .verifyFull { tls.certificateVerification = .none }
        return tls
    }
}
