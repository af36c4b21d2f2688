import JSONCore
import Recording

/// Credentials a request carried, named as the security scheme they map to. One request may carry
/// several that the server wants together: a session cookie and the CSRF header that echoes its
/// token (`csrftoken`/`X-CSRFToken`, `XSRF-TOKEN`/`X-XSRF-TOKEN`), Transmission's session-id header
/// with basic credentials.
struct CredentialScheme: Hashable {
    var name: String
    var definition: JSON

    static let bearer = CredentialScheme(name: "bearerAuth", definition: ["type": "http", "scheme": "bearer"])
    static let basic = CredentialScheme(name: "basicAuth", definition: ["type": "http", "scheme": "basic"])

    /// What a header name says about credentials; names repeat on every request, so callers keep
    /// the answers (`roles`).
    enum HeaderRole {
        case csrf(normalized: String)
        case apiKey
        case sessionHeader
        case none
    }

    static func role(of name: String) -> HeaderRole {
        let normalized = Self.normalized(name)
        if isCSRFName(normalized) { return .csrf(normalized: normalized) }
        if isAPIKeyName(normalized) { return .apiKey }
        if normalized.hasPrefix("x"), normalized.contains("session") { return .sessionHeader }
        return .none
    }

    /// Every credential the request carried, in a stable order.
    static func detect(_ headers: [Header], url: String = "", query: [(name: String, value: String)] = []) -> [CredentialScheme] {
        var memo = Memo()
        return detect(headers, url: url, query: query, sessionCookies: [], memo: &memo)
    }

    struct CookieFacts {
        /// CSRF cookies, with their normalized names.
        var csrf: [(name: String, normalized: String)]
        var session: String?
    }

    /// What the names seen so far mean: header names, cookie headers and query names repeat on every
    /// request of a capture, so each is looked at once.
    struct Memo {
        var roles: [String: HeaderRole] = [:]
        /// A `Cookie` header's value -> what its cookies are.
        var cookies: [String: CookieFacts] = [:]
        var queryTokens: [String: Bool] = [:]
        /// The previous request's headers and credentials.
        var lastRequest: (headers: [Header], userinfo: Bool, queryToken: String?, schemes: [CredentialScheme])?

        mutating func cookieFacts(_ header: String, sessionCookies: Set<String>) -> CookieFacts {
            if let known = cookies[header] { return known }
            let names = header.split(separator: ";").map { trimmedSpaces($0.split(separator: "=", maxSplits: 1).first ?? "") }
            // The session cookie: one a login set, else a name that says session (or token, auth); never the CSRF cookie.
            let session = names.first { sessionCookies.contains($0) && !CredentialScheme.isCSRFName(CredentialScheme.normalized($0)) }
                ?? names.first { CredentialScheme.isSessionCookie(CredentialScheme.normalized($0), strong: true) }
                ?? names.first { CredentialScheme.isSessionCookie(CredentialScheme.normalized($0), strong: false) }
            let facts = CookieFacts(
                csrf: names.compactMap { name in
                    let normalized = CredentialScheme.normalized(name)
                    return CredentialScheme.isCSRFName(normalized) ? (name, normalized) : nil
                },
                session: session)
            if cookies.count > 4096 { cookies.removeAll(keepingCapacity: true) }
            cookies[header] = facts
            return facts
        }

        mutating func isQueryToken(_ name: String) -> Bool {
            if let known = queryTokens[name] { return known }
            let answer = CredentialScheme.isQueryTokenName(name)
            if queryTokens.count < 4096 { queryTokens[name] = answer }
            return answer
        }
    }

    /// `sessionCookies`: cookie names a login response set, the session whatever they are called.
    static func detect(
        _ headers: [Header], url: String, query: [(name: String, value: String)], sessionCookies: Set<String>, memo: inout Memo
    ) -> [CredentialScheme] {
        let queryToken = query.first { !$0.value.isEmpty && memo.isQueryToken($0.name) }?.name
        // Credentials in the URL count only where no Authorization header is sent.
        let userinfo = headerValue(headers, "authorization") == nil && Self.hasUserinfo(url)
        // Polls send the same headers every time: what they carry is worked out once.
        if let last = memo.lastRequest, last.queryToken == queryToken, last.userinfo == userinfo, last.headers == headers {
            return last.schemes
        }
        let schemes = detectAnew(headers, userinfo: userinfo, queryToken: queryToken, sessionCookies: sessionCookies, memo: &memo)
        memo.lastRequest = (headers, userinfo, queryToken, schemes)
        return schemes
    }

    private static func detectAnew(
        _ headers: [Header], userinfo: Bool, queryToken: String?, sessionCookies: Set<String>, memo: inout Memo
    ) -> [CredentialScheme] {
        var found: [CredentialScheme] = []
        var cookies = CookieFacts(csrf: [], session: nil)
        if let cookie = headerValue(headers, "cookie") { cookies = memo.cookieFacts(cookie, sessionCookies: sessionCookies) }
        if let value = headerValue(headers, "authorization") {
            // Every request carries it: the scheme word is compared in place, not lowercased in a copy.
            if hasPrefixIgnoringCase(value, "bearer") {
                found.append(.bearer)
            } else if hasPrefixIgnoringCase(value, "basic") {
                found.append(.basic)
            } else {
                found.append(CredentialScheme(name: "authorizationHeader", definition: ["type": "apiKey", "in": "header", "name": "Authorization"]))
            }
        } else if userinfo {
            // `http://user:pass@host/...`: the browser sends these as basic credentials.
            found.append(.basic)
        }
        for header in headers {
            let role: HeaderRole
            if let known = memo.roles[header.name] {
                role = known
            } else {
                role = Self.role(of: header.name)
                memo.roles[header.name] = role
            }
            switch role {
            case .none:
                continue
            case .csrf(let normalized):
                var definition: [String: JSON] = ["type": "apiKey", "in": "header", "name": .string(header.name)]
                // The cookie whose token the header echoes, when its name is inside the header's.
                if let pair = cookies.csrf.first(where: { normalized.contains($0.normalized) }) {
                    definition["description"] = .string("Echoes the `\(pair.name)` cookie the server set (CSRF protection).")
                } else {
                    definition["description"] = "A CSRF token the page obtained from the server."
                }
                found.append(CredentialScheme(name: "csrfToken", definition: .object(definition)))
            case .apiKey:
                found.append(CredentialScheme(name: "apiKeyAuth", definition: ["type": "apiKey", "in": "header", "name": .string(header.name)]))
            case .sessionHeader:
                // `X-Transmission-Session-Id`: a token the server hands out (after a 409) and wants back.
                found.append(CredentialScheme(name: "sessionHeader", definition: ["type": "apiKey", "in": "header", "name": .string(header.name)]))
            }
        }
        if let queryToken {
            found.append(CredentialScheme(name: "queryToken", definition: ["type": "apiKey", "in": "query", "name": .string(queryToken)]))
        }
        // The session cookie: a name that says session (or token, auth), never the CSRF cookie.
        if let name = cookies.session {
            found.append(CredentialScheme(name: "cookieAuth", definition: ["type": "apiKey", "in": "cookie", "name": .string(name)]))
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0.name).inserted }
    }

    static func isQueryTokenName(_ name: String) -> Bool { queryTokenNames.contains(normalized(name)) }

    static func normalized(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { CharacterSetASCII.isAlphanumeric($0) }))
    }

    static func isCSRFName(_ normalized: String) -> Bool { normalized.contains("csrf") || normalized.contains("xsrf") }

    private static func isAPIKeyName(_ normalized: String) -> Bool {
        ["xapikey", "apikey", "xauthtoken", "xaccesstoken", "xapitoken", "privatetoken", "xtoken", "authtoken"].contains(normalized)
            || normalized.hasPrefix("x") && (normalized.hasSuffix("apikey") || normalized.hasSuffix("apitoken") || normalized.hasSuffix("authtoken"))
    }

    private static let queryTokenNames: Set<String> = ["token", "accesstoken", "apikey", "apitoken", "authtoken", "auth", "jwt", "sessiontoken"]

    static func isSessionCookie(_ normalized: String, strong: Bool) -> Bool {
        guard !isCSRFName(normalized) else { return false }
        if strong { return normalized.contains("session") || normalized == "sid" || normalized.hasSuffix("sid") || normalized == "connectsid" }
        return ["token", "auth", "jwt", "login"].contains { normalized.contains($0) }
    }

    /// `lowercasePrefix` is ASCII lowercase.
    private static func hasPrefixIgnoringCase(_ text: String, _ lowercasePrefix: StaticString) -> Bool {
        let prefix = UnsafeBufferPointer(start: lowercasePrefix.utf8Start, count: lowercasePrefix.utf8CodeUnitCount)
        var bytes = text.utf8.makeIterator()
        for wanted in prefix {
            guard let byte = bytes.next(), byte == wanted || (byte >= 0x41 && byte <= 0x5A && byte | 0x20 == wanted) else { return false }
        }
        return true
    }

    /// `scheme://user:pass@host`: an `@` in the authority, the part between `://` and the first `/`,
    /// `?` or `#`. Read as bytes: every request's URL comes through here.
    static func hasUserinfo(_ url: String) -> Bool {
        var bytes = url.utf8.makeIterator()
        var previous: (UInt8, UInt8) = (0, 0)
        while let byte = bytes.next() {
            if previous == (0x3A, 0x2F), byte == 0x2F { break }
            previous = (previous.1, byte)
        }
        guard previous == (0x3A, 0x2F) else { return false }
        while let byte = bytes.next() {
            if byte == 0x40 { return true }
            if byte == 0x2F || byte == 0x3F || byte == 0x23 { return false }
        }
        return false
    }
}

/// ASCII letters and digits, without Foundation's character sets on the hot path.
enum CharacterSetASCII {
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
    }
}
