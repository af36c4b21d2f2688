import Testing
@testable import Discovery

/// `URLParts.split` is on every exchange's path in both passes; it scans bytes in place and hands back
/// the URL itself when it has no query or fragment, and must split exactly as the text reads.
@Suite struct URLPartsTests {
    @Test(arguments: [
        ("http://h:1/api/jobs", "http://h:1/api/jobs", ""),
        ("http://h:1/api/jobs?id=1&x=%20", "http://h:1/api/jobs", "id=1&x=%20"),
        ("http://h:1/api/jobs?id=1#top", "http://h:1/api/jobs", "id=1"),
        ("http://h:1/api/jobs#top?not=query", "http://h:1/api/jobs", ""),
        ("http://h:1/api/jobs?", "http://h:1/api/jobs", ""),
        ("http://h:1/api/jobs?#", "http://h:1/api/jobs", ""),
        ("ws://h:1/socket?token=t", "http://h:1/socket", "token=t"),
        ("wss://h/socket", "https://h/socket", ""),
        ("http://h/ünïcode/päth?q=ä", "http://h/ünïcode/päth", "q=ä"),
        ("", "", ""),
    ])
    func splitsLocationAndQuery(url: String, location: String, query: String) {
        let parts = URLParts.split(url)
        #expect(parts.location == location)
        #expect(String(parts.query) == query)
    }

    @Test(arguments: [
        ("http://user:pass@h:1/api", true),
        ("http://h:1/api/me@example", false),
        ("http://h:1/api?who=a@b", false),
        ("http://h:1#a@b", false),
        ("https://token@h", true),
        ("blob:http://u@h/x", true),
        ("mailto:a@b", false),
        ("x?y=http://a@b", true),
        ("", false),
    ])
    func userinfoIsAnAtInTheAuthority(url: String, expected: Bool) {
        #expect(CredentialScheme.hasUserinfo(url) == expected)
    }
}
