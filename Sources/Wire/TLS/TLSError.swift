/// Why a TLS connection could not be made or went wrong. Each case says what was checked and what was seen.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system's OpenSSL 3 is missing or unusable; the text carries the install command.
    case libraryUnavailable(String)
    /// The server's certificate chain did not verify against the trusted CAs; `reason` is OpenSSL's
    /// verify result ("unable to get local issuer certificate", "certificate has expired", ...).
    case certificateNotVerified(server: String, reason: String)
    /// The certificate verified but was issued for another name (or IP address) than the one connected to.
    case nameMismatch(server: String, name: String)
    /// The CA file given could not be read as PEM certificates.
    case unreadableCAFile(path: String, reason: String)
    /// Any other handshake failure (protocol version, no shared cipher, a timeout, a non-TLS peer).
    case handshakeFailed(server: String, reason: String)

    public var description: String {
        switch self {
        case .libraryUnavailable(let detail):
            detail
        case .certificateNotVerified(let server, let reason):
            "the TLS certificate of \(server) could not be verified: \(reason) "
                + "(give the CA that issued it with --ca-file PATH, or use --insecure to skip verification)"
        case .nameMismatch(let server, let name):
            "the TLS certificate of \(server) does not match the name \(name): it was issued for another host name or address"
        case .unreadableCAFile(let path, let reason):
            "cannot load the CA file \(path) (expected PEM certificates): \(reason)"
        case .handshakeFailed(let server, let reason):
            "TLS handshake with \(server) failed: \(reason)"
        }
    }
}
