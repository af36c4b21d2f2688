import Foundation
import JSONCore
import Recording

/// A value a flow marks secret: the environment variable's name (used in the marker) and its value.
public struct SecretValue: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Replaces secrets by markers that say what was there, before anything is written:
/// credential headers (`Bearer <redacted:AI_TOOLKIT_PASSWORD>`, `sid=<redacted:cookie>`), JSON, form and
/// query fields whose names look secret (`<redacted:field password>`), and every literal occurrence of a
/// flow's secret values, also percent-, form- and JSON-encoded.
public struct Redactor: Sendable {
    public let enabled: Bool
    /// Values shorter than this are not searched for: replacing every "ab" would destroy the capture.
    public static let minimumSecretLength = 3
    let literals: [(pattern: [UInt8], replacement: [UInt8], name: String)]
    /// Forms no list can hold: partial percent-encodings, matched by decoding.
    let matcher: SecretMatcher

    public init(secrets: [SecretValue], enabled: Bool = true) {
        self.enabled = enabled
        matcher = SecretMatcher(secrets: secrets.map { (name: $0.name, value: $0.value) })
        var literals: [(pattern: [UInt8], replacement: [UInt8], name: String)] = []
        var seen = Set<[UInt8]>()
        for secret in secrets where secret.value.utf8.count >= Self.minimumSecretLength {
            let marker = Array("<redacted:\(secret.name)>".utf8)
            // The encodings common in URLs stay exact patterns too: downloaded files are searched in
            // a stream, by exact patterns only.
            for form in Self.encodedForms(of: secret.value).map({ Array($0.utf8) }) + SecretMatcher.exactForms(of: secret.value) {
                if seen.insert(form).inserted { literals.append((form, marker, secret.name)) }
            }
        }
        // Longest first, so an encoded form is replaced whole before a shorter form inside it.
        self.literals = literals.sorted { $0.pattern.count > $1.pattern.count }
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encodedForms(of value: String) -> [String] {
        var forms = [value]
        if let strict = value.addingPercentEncoding(withAllowedCharacters: unreserved) {
            for escapes in [strict, lowercasedPercentEscapes(strict)] {
                forms.append(escapes)
                forms.append(escapes.replacingOccurrences(of: "%20", with: "+"))
            }
        }
        if let query = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { forms.append(query) }
        if let path = value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) { forms.append(path) }
        var json = ""
        JSON.writeString(value, into: &json)
        forms.append(String(json.dropFirst().dropLast()))
        forms.append(String(json.dropFirst().dropLast()).replacingOccurrences(of: "/", with: "\\/"))
        return forms
    }

    private static func lowercasedPercentEscapes(_ text: String) -> String {
        var out = ""
        var remaining = 0
        for character in text {
            if character == "%" {
                remaining = 2
                out.append(character)
            } else if remaining > 0 {
                remaining -= 1
                out.append(contentsOf: character.lowercased())
            } else {
                out.append(character)
            }
        }
        return out
    }

    // MARK: names

    /// Field, header and query-parameter names that hold credentials.
    public static func looksSecret(_ name: String) -> Bool {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(name.utf8.count)
        for byte in name.utf8 where byte != UInt8(ascii: "_") && byte != UInt8(ascii: "-") && byte != UInt8(ascii: ".") && byte != 0x20 {
            normalized.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        if exactSecretNames.contains(normalized) { return true }
        for fragment in secretNameFragments where ByteSearch.find(fragment, in: normalized, from: 0) != nil { return true }
        return normalized.count >= 5 && normalized.suffix(5).elementsEqual("token".utf8)
    }

    static let exactSecretNames: Set<[UInt8]> = Set(
        ["auth", "authorization", "pwd", "pass", "passcode", "pin", "otp", "sessionid", "session"].map { Array($0.utf8) })
    static let secretNameFragments: [[UInt8]] = [
        "password", "passwd", "passphrase", "secret", "apikey", "privatekey", "credential", "authtoken", "authkey", "csrf", "xsrf",
    ].map { Array($0.utf8) }

    /// A field of a JSON, form or multipart body that holds a credential. A `session` or `sessionId`
    /// member of a message is the app's own identifier (a notebook's client session, a Gradio queue
    /// session): masking it hides data and protects nothing, so only header and cookie sessions count.
    public static func looksSecretField(_ name: String) -> Bool {
        guard looksSecret(name) else { return false }
        let normalized = Array(ASCII.lowercased(name.utf8).filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ".") })
        return normalized != Array("session".utf8) && normalized != Array("sessionid".utf8)
    }
    /// Cheap test before a JSON body or frame is parsed to look for secret fields: some fragment of a
    /// secret-looking name must occur in it (lower-cased).
    static let fieldHints: [[UInt8]] = ["pass", "pwd", "token", "secret", "key", "auth", "credential", "session", "\"pin\"", "\"otp\""]
        .map { Array($0.utf8) }

    static func mayHoldSecretFields(_ text: String) -> Bool {
        let lower = ASCII.lowercased(text.utf8)
        return fieldHints.contains { ByteSearch.find($0, in: lower, from: 0) != nil }
    }

    // MARK: literals

    public func redactLiterals(_ text: String) -> String {
        guard enabled, !literals.isEmpty,
            containsLiteral(text) || SecretMatcher.mayHideSecrets(text.utf8, hasPlus: matcher.hasPlus)
        else { return text }
        var bytes = Array(text.utf8)
        guard replaceLiterals(&bytes) else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// In place; true when something was replaced.
    @discardableResult
    public func replaceLiterals(_ bytes: inout [UInt8]) -> Bool {
        guard enabled, !literals.isEmpty else { return false }
        var changed = false
        for literal in literals {
            guard ByteSearch.find(literal.pattern, in: bytes, from: 0) != nil else { continue }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var cursor = 0
            while let found = ByteSearch.find(literal.pattern, in: bytes, from: cursor) {
                out.append(contentsOf: bytes[cursor..<found])
                out.append(contentsOf: literal.replacement)
                cursor = found + literal.pattern.count
            }
            out.append(contentsOf: bytes[cursor...])
            bytes = out
            changed = true
        }
        if matcher.replaceDecoded(in: &bytes, marker: { Array("<redacted:\($0)>".utf8) })
        {
            changed = true
        }
        return changed
    }

    private func containsLiteral(_ text: String) -> Bool {
        let check = { (buffer: UnsafeBufferPointer<UInt8>) -> Bool in
            self.literals.contains { literal in ByteSearch.find(literal.pattern, in: buffer, from: 0) != nil }
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(check) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(check)
    }

    /// The name of the first flow secret found in the text.
    func secretName(in text: String) -> String? {
        let bytes = Array(text.utf8)
        return literals.first { ByteSearch.find($0.pattern, in: bytes, from: 0) != nil }?.name ?? matcher.firstSecret(in: text)
    }

    // MARK: URLs

    public func redactURL(_ url: String) -> String {
        guard enabled else { return url }
        var result = redactEncodedComponents(redactLiterals(url))
        guard let question = result.firstIndex(of: "?") else { return result }
        let fragmentStart = result[question...].firstIndex(of: "#") ?? result.endIndex
        let query = result[result.index(after: question)..<fragmentStart]
        let redactedQuery = redactForm(String(query))
        if redactedQuery != query {
            result = String(result[...question]) + redactedQuery + String(result[fragmentStart...])
        }
        return result
    }

    /// Percent-encodings vary (`!` or `%21`, `+` or `%20`), so each URL or form component is decoded
    /// and, when it holds a secret, replaced by its redacted text re-encoded.
    func redactEncodedComponents(_ text: String) -> String {
        guard !literals.isEmpty, ASCII.contains(text, UInt8(ascii: "%")) || ASCII.contains(text, UInt8(ascii: "+")) else { return text }
        let separators: Set<Character> = ["/", "?", "&", "=", "#", ";"]
        var output = ""
        var component = ""
        var changed = false
        func flush() {
            defer { component = "" }
            guard ASCII.contains(component, UInt8(ascii: "%")) || ASCII.contains(component, UInt8(ascii: "+")),
                  let decoded = component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? component.removingPercentEncoding else {
                output += component
                return
            }
            let redacted = redactLiterals(decoded)
            guard redacted != decoded else {
                output += component
                return
            }
            changed = true
            output += redacted.addingPercentEncoding(withAllowedCharacters: Self.unreserved.union(CharacterSet(charactersIn: "<>:"))) ?? redacted
        }
        for character in text {
            if separators.contains(character) {
                flush()
                output.append(character)
            } else {
                component.append(character)
            }
        }
        flush()
        return changed ? output : text
    }

    /// `a=1&password=x` -> `a=1&password=%3Credacted%3Afield%20password%3E`.
    func redactForm(_ form: String) -> String {
        var changed = false
        let pairs = form.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let rawName = String(pair[..<equals])
            // Foundation's percent-decoding is the costliest step of writing an exchange: skip it for
            // the plain names almost every query has.
            let encoded = ASCII.contains(rawName, UInt8(ascii: "%")) || ASCII.contains(rawName, UInt8(ascii: "+"))
            let name = encoded ? rawName.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? rawName : rawName
            guard Self.looksSecret(name), pair.index(after: equals) < pair.endIndex else { return String(pair) }
            changed = true
            let marker = "<redacted:field \(name)>"
            return rawName + "=" + (marker.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "redacted")
        }
        return changed ? pairs.joined(separator: "&") : form
    }

    // MARK: headers

    public func redactHeaders(_ headers: [Header]) -> [Header] {
        guard enabled else { return headers }
        return headers.map { Header(name: $0.name, value: redactHeaderValue(name: $0.name, value: $0.value)) }
    }

    func redactHeaderValue(name: String, value: String) -> String {
        switch name.lowercased() {
        case "authorization", "proxy-authorization":
            let label = secretName(in: value) ?? name.lowercased()
            let pieces = value.split(separator: " ", maxSplits: 1)
            if pieces.count == 2 { return "\(pieces[0]) <redacted:\(label)>" }
            return "<redacted:\(label)>"
        case "cookie":
            return value.split(separator: ";").map { cookie in
                let trimmed = cookie.trimmingCharacters(in: .whitespaces)
                guard let equals = trimmed.firstIndex(of: "=") else { return "<redacted:cookie>" }
                return "\(trimmed[..<equals])=<redacted:cookie>"
            }.joined(separator: "; ")
        case "set-cookie":
            return value.split(separator: "\n").map { line in
                var attributes = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                if let equals = attributes[0].firstIndex(of: "=") {
                    attributes[0] = "\(attributes[0][..<equals])=<redacted:cookie>"
                } else {
                    attributes[0] = "<redacted:cookie>"
                }
                return redactLiterals(attributes.joined(separator: ";"))
            }.joined(separator: "\n")
        default:
            if Self.looksSecret(name) { return "<redacted:header \(name)>" }
            // Referer and Location carry URLs, with whatever percent-encoding the page chose.
            return redactEncodedComponents(redactLiterals(value))
        }
    }

    // MARK: bodies and frames

    /// A text body or frame: literal secrets, then JSON or form fields with secret names.
    public func redactText(_ text: String, mimeType: String?) -> String {
        guard enabled else { return text }
        var result = redactLiterals(text)
        if let mimeType, ASCII.containsIgnoringCase(mimeType, "x-www-form-urlencoded") {
            result = redactForm(redactEncodedComponents(result))
        } else if let first = result.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
                  first == UInt8(ascii: "{") || first == UInt8(ascii: "["), Self.mayHoldSecretFields(result) {
            result = redactJSONFields(result)
        }
        return result
    }

    /// Keeps the original formatting: secret field values are replaced where they appear as JSON strings;
    /// if an escape form defeats that, the document is re-serialized from the redacted value.
    func redactJSONFields(_ text: String) -> String {
        guard let document = try? JSON.parse(text) else { return text }
        var found: [(name: String, value: String)] = []
        let redacted = Self.redactFields(document, found: &found)
        guard !found.isEmpty else { return text }
        var bytes = Array(text.utf8)
        for (name, value) in found {
            var literal = ""
            JSON.writeString(value, into: &literal)
            var marker = ""
            JSON.writeString("<redacted:field \(name)>", into: &marker)
            let pattern = Array(literal.utf8)
            var out: [UInt8] = []
            var cursor = 0
            while let hit = ByteSearch.find(pattern, in: bytes, from: cursor) {
                out.append(contentsOf: bytes[cursor..<hit])
                out.append(contentsOf: marker.utf8)
                cursor = hit + pattern.count
            }
            out.append(contentsOf: bytes[cursor...])
            bytes = out
        }
        let replaced = String(decoding: bytes, as: UTF8.self)
        if let check = try? JSON.parse(replaced), check == redacted { return replaced }
        return redacted.serialized()
    }

    static func redactFields(_ value: JSON, found: inout [(name: String, value: String)]) -> JSON {
        switch value {
        case .object(let members):
            var copy = members
            for (key, member) in members {
                if looksSecretField(key), case .string(let secret) = member, !secret.isEmpty, !secret.hasPrefix("<redacted:") {
                    found.append((key, secret))
                    copy[key] = .string("<redacted:field \(key)>")
                } else {
                    copy[key] = redactFields(member, found: &found)
                }
            }
            return .object(copy)
        case .array(let items):
            return .array(items.map { redactFields($0, found: &found) })
        default:
            return value
        }
    }

    public func redact(_ body: Body) -> Body {
        guard enabled else { return body }
        var copy = body
        if let text = body.text {
            if body.encoding == .text {
                copy.text = redactText(text, mimeType: body.mimeType)
            } else if let data = Data(base64Encoded: text) {
                var bytes = [UInt8](data)
                if replaceLiterals(&bytes) { copy.text = Data(bytes).base64EncodedString() }
            }
        }
        if let parts = body.multipart {
            copy.multipart = parts.map { part in
                var part = part
                if let value = part.value, !part.base64 {
                    part.value = Self.looksSecretField(part.name) ? "<redacted:field \(part.name)>" : redactText(value, mimeType: part.contentType)
                }
                if let filename = part.filename { part.filename = redactLiterals(filename) }
                return part
            }
        }
        return copy
    }

    public func redact(_ message: StreamMessage) -> StreamMessage {
        guard enabled else { return message }
        var copy = message
        if message.base64 {
            if let data = Data(base64Encoded: message.data) {
                var bytes = [UInt8](data)
                if replaceLiterals(&bytes) { copy.data = Data(bytes).base64EncodedString() }
            }
        } else {
            copy.data = redactText(message.data, mimeType: nil)
        }
        if let id = message.eventId { copy.eventId = redactLiterals(id) }
        return copy
    }

    public func redact(_ exchange: Exchange) -> Exchange {
        guard enabled else { return exchange }
        var copy = exchange
        copy.url = redactURL(exchange.url)
        copy.request.headers = redactHeaders(exchange.request.headers)
        copy.request.body = exchange.request.body.map(redact)
        if var response = exchange.response {
            response.headers = redactHeaders(response.headers)
            response.body = response.body.map(redact)
            copy.response = response
        }
        if let initiator = exchange.initiator?.url { copy.initiator?.url = redactURL(initiator) }
        if let targetURL = exchange.target?.url { copy.target?.url = redactURL(targetURL) }
        if let failure = exchange.failure { copy.failure?.errorText = redactLiterals(failure.errorText) }
        copy.messages = exchange.messages.map(redact)
        if let download = exchange.download { copy.download?.suggestedFilename = redactLiterals(download.suggestedFilename) }
        if let provenance = exchange.provenance { copy.provenance?.description = redactLiterals(provenance.description) }
        return copy
    }
}
