import Capture
import DevTools
import Foundation
import Wire

/// `--connect` and what goes with it: a gateway's headers (`--connect-header`), the TLS checks
/// (`--ca-file`, `--insecure`), and which of it is secret. Header values and the endpoint's query values
/// (`?token=...`) are credentials: they are never printed, and the run's outputs redact them.
struct ConnectSettings: Sendable {
    var endpoint: String
    var options: ConnectOptions

    /// Request headers a user may not set: the clients write them, and a second copy breaks the exchange.
    static let reservedHeaders = [
        "Host", "Connection", "Upgrade", "Content-Length", "Transfer-Encoding",
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
    ]

    static let insecureWarning =
        "--insecure: the browser endpoint's TLS certificate is NOT verified (neither its chain nor its host name): "
        + "anyone on the path can read and change the DevTools traffic, which drives the browser and carries its cookies"

    /// Nil without `--connect`; the options that only make sense with it are then a usage error.
    init?(_ arguments: ParsedArguments) throws {
        guard let endpoint = arguments.value("connect") else {
            for name in ["connect-header", "ca-file"] where !arguments.all(name).isEmpty {
                throw UsageError(message: "--\(name) applies to --connect only", command: nil)
            }
            if arguments.has("insecure") { throw UsageError(message: "--insecure applies to --connect only", command: nil) }
            return nil
        }
        self.endpoint = endpoint
        var headers = HTTP1.Headers()
        for field in arguments.all("connect-header") {
            let (name, value) = try Self.parseHeader(field)
            headers.add(name, value)
        }
        let insecure = arguments.has("insecure")
        let caFile = arguments.value("ca-file")
        if insecure && caFile != nil {
            throw UsageError(message: "--insecure turns verification off, so --ca-file would be ignored: give one or the other", command: nil)
        }
        options = ConnectOptions(headers: headers, tls: TLSOptions(verifiesPeer: !insecure, caFile: caFile))
    }

    /// `Name: value`. The error texts never quote the argument: its value is a credential.
    static func parseHeader(_ field: String) throws -> (name: String, value: String) {
        guard let colon = field.firstIndex(of: ":") else {
            throw UsageError(message: "--connect-header takes 'Name: value', a header name, a colon, then the value; one has no colon", command: nil)
        }
        let name = field[..<colon].trimmingCharacters(in: .whitespaces)
        let value = field[field.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let tokenCharacters = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(tokenCharacters.contains) else {
            throw UsageError(message: "--connect-header: '\(name)' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)", command: nil)
        }
        // A line break would end the header and start another one the user did not write. Scalars, not
        // Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw UsageError(message: "--connect-header \(name): the value holds a line break", command: nil)
        }
        if let reserved = reservedHeaders.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            throw UsageError(message: "--connect-header cannot set \(reserved): discover writes it", command: nil)
        }
        return (name, value)
    }

    /// What must never be printed or written: each header's value (and, for `Bearer xyz`-style values,
    /// the credential after the scheme) and each query value of the endpoint.
    var secrets: [SecretValue] {
        var secrets: [SecretValue] = []
        for field in options.headers {
            let name = "connect-header \(field.name)"
            secrets.append(SecretValue(name: name, value: field.value))
            if let space = field.value.firstIndex(of: " ") {
                let credential = field.value[field.value.index(after: space)...].trimmingCharacters(in: .whitespaces)
                if !credential.isEmpty { secrets.append(SecretValue(name: name, value: credential)) }
            }
        }
        let withoutFragment = endpoint.prefix { $0 != "#" }
        if endpoint.contains("://"), let question = withoutFragment.firstIndex(of: "?") {
            for pair in withoutFragment[withoutFragment.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[1].isEmpty else { continue }
                let name = "connect query \(parts[0])"
                secrets.append(SecretValue(name: name, value: String(parts[1])))
                if let decoded = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding, decoded != parts[1] {
                    secrets.append(SecretValue(name: name, value: decoded))
                }
            }
        }
        return secrets
    }

    /// Redacts every secret in `text` (the endpoint, or an error message that quotes its URL), always:
    /// the console is no output folder, and `--keep-secrets` does not reach it.
    func redact(_ text: String) -> String {
        Redactor(secrets: secrets).redactLiterals(text)
    }

    /// The line printed before attaching: the endpoint without its secrets, and the headers by name.
    var attachingLine: String {
        let names = options.headers.map(\.name)
        return "attaching to \(redact(endpoint))" + (names.isEmpty ? "" : " with header\(names.count == 1 ? "" : "s") \(names.joined(separator: ", "))")
    }
}
