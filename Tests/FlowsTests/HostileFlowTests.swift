import Foundation
import Glibc
import JSONCore
import Testing

@testable import Flows

/// Flow files that once passed `validate` and then hung, exhausted memory or failed in `run`: each is
/// refused by both, with the same words, before any browser starts.
@Suite struct HostileFlowTests {
    /// `validate`'s findings and `run`'s loader error for one file.
    private func bothVerdicts(_ text: String, name: String = "hostile.flow.json", prepare: (URL) throws -> Void = { _ in }) throws -> (validate: [FlowDiagnostic], run: String?) {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try prepare(folder)
        let file = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        let diagnostics = FlowValidator.validate(paths: [file.path])
        var loaderError: String?
        do { _ = try FlowLoader.load(file) } catch { loaderError = "\(error)" }
        return (diagnostics, loaderError)
    }

    private func expectBothRefuse(_ text: String, containing phrase: String, prepare: (URL) throws -> Void = { _ in }) throws {
        let (diagnostics, runError) = try bothVerdicts(text, prepare: prepare)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.contains { $0.message.contains(phrase) }, "validate: \(diagnostics.map(\.description))")
        #expect(runError?.contains(phrase) == true, "run: \(runError ?? "accepted")")
    }

    @Test func vars_thatDoubleEachOtherAreRefusedBeforeTheyExpand() throws {
        var vars: [String: JSON] = [:]
        for level in 0..<40 { vars["v\(level)"] = .string("${vars.v\(level + 1)}${vars.v\(level + 1)}") }
        vars["v40"] = .string(String(repeating: "x", count: 64))
        let flow: JSON = ["name": "boom", "vars": .object(vars), "steps": [["goto": "/${vars.v0}"]]]
        try expectBothRefuse(flow.serialized(), containing: "would expand to more than 1 MB")
    }

    @Test func varsThatReferToEachOtherInACycleAreNamedAsACycle() throws {
        try expectBothRefuse(
            #"{"name": "c", "vars": {"a": "x${vars.b}", "b": "${vars.a}"}, "steps": [{"goto": "/${vars.a}"}]}"#,
            containing: "cycle: a -> b -> a")
    }

    @Test func interpolationStopsAtTheSizeLimitEvenWithValuesFromOutside() throws {
        let big = String(repeating: "y", count: VariableExpansion.maximumLength / 2 + 1)
        let interpolator = Interpolator(environment: [:], variables: ["big": big], run: RunInfo(baseURL: "http://x"))
        #expect(throws: InterpolationError.self) { try interpolator.interpolate("${vars.big}${vars.big}") }
    }

    @Test func aLocatorChainedThousandsOfTimesIsRefused() throws {
        let chain = Array(repeating: "div", count: 5000).joined(separator: " >> ")
        let flow: JSON = ["name": "l", "steps": [["click": .string(chain)]]]
        try expectBothRefuse(flow.serialized(), containing: "at most \(Locator.maximumNesting)")
    }

    @Test func aLocatorNestedByWithinPastTheLimitIsRefused() throws {
        var locator: JSON = ["css": "a"]
        for _ in 0..<40 { locator = ["css": "div", "within": locator] }
        let flow: JSON = ["name": "l", "steps": [["click": locator]]]
        try expectBothRefuse(flow.serialized(), containing: "at most \(Locator.maximumNesting)")
    }

    @Test func aBrokenRegularExpressionIsRefusedWithoutFoundationsErrorText() throws {
        let flow = #"{"name": "r", "steps": [{"goto": "/"}, {"waitFor": {"response": "/api/(unclosed[/"}}]}"#
        try expectBothRefuse(flow, containing: "not a valid URL pattern")
        let (diagnostics, runError) = try bothVerdicts(flow)
        #expect(!(diagnostics.map(\.message).joined() + (runError ?? "")).contains("NSCocoaErrorDomain"))
        try expectBothRefuse(
            #"{"name": "r", "steps": [{"save": "id", "from": {"url": {"regex": "(["}}}]}"#, containing: "regular expression")
    }

    @Test func includesOfDevicesFIFOsAndNonFlowFilesAreRefused() throws {
        try expectBothRefuse(#"{"name": "i", "steps": [{"include": "/dev/zero"}]}"#, containing: "is a device")
        try expectBothRefuse(#"{"name": "i", "steps": [{"include": "/etc/passwd"}]}"#, containing: "passwd")
        try expectBothRefuse(#"{"name": "i", "steps": [{"include": "pipe.flow.json"}]}"#, containing: "is a FIFO") { folder in
            #expect(mkfifo(folder.appendingPathComponent("pipe.flow.json").path, 0o600) == 0)
        }
    }

    @Test func uploadsFromOutsideTheFlowFolderNeedTheFlowToSaySo() throws {
        try expectBothRefuse(
            #"{"name": "u", "steps": [{"upload": "css=input", "files": "/etc/passwd"}]}"#, containing: "outside the flow file's folder")
        #expect(throws: FlowFileError.self) {
            try FlowLoader.decode(["name": "u", "steps": [["upload": "css=input", "files": ["a.png", "../../secret.key"]]]], file: nil)
        }
        let (diagnostics, runError) = try bothVerdicts(#"{"name": "u", "steps": [{"upload": "css=input", "files": "/etc/hostname", "outsideFlowFolder": true}]}"#)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.description))")
        #expect(runError == nil, "\(runError ?? "")")
    }

    @Test func anInfiniteOrHugeTimeoutIsRefusedNotTrapped() throws {
        for timeout in ["1e999999", String(repeating: "9", count: 400), "86400001"] {
            let (diagnostics, runError) = try bothVerdicts(#"{"name": "t", "steps": [{"goto": "/", "timeout": \#(timeout)}]}"#)
            #expect(diagnostics.contains { $0.severity == .error }, "\(timeout): \(diagnostics.map(\.description))")
            #expect(runError?.contains("`timeout` is a positive number of milliseconds, at most 86400000") == true, "\(runError ?? "accepted")")
        }
    }

    @Test func prerequisitesThatAreNotFlowsAreRefusedByValidateToo() throws {
        try expectBothRefuse(#"{"name": "p", "prerequisites": ["/etc/passwd"], "steps": [{"goto": "/"}]}"#, containing: "passwd")
    }

    @Test(.timeLimit(.minutes(1)))
    func aValueWithAHundredThousandReferencesIsCheckedInLinearTime() throws {
        let flow: JSON = ["name": "v", "vars": ["x": "a"], "steps": [["goto": .string("/" + String(repeating: "${vars.x}", count: 100_000))]]]
        let (diagnostics, runError) = try bothVerdicts(flow.serialized())
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3).map(\.description))")
        #expect(runError == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFlowOfFiftyThousandStepsIsCheckedInLinearTime() throws {
        let steps = (0..<50_000).map { index -> JSON in ["goto": .string("/p\(index)")] }
        let flow: JSON = ["name": "long", "steps": .array(steps)]
        let (diagnostics, runError) = try bothVerdicts(flow.serialized())
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3).map(\.description))")
        #expect(runError == nil)
    }

    @Test func aQuotedChainSeparatorInARoleNameIsOnePartForValidateAsForRun() throws {
        let (diagnostics, runError) = try bothVerdicts(#"{"name": "q", "steps": [{"click": "role=button[name=\"A >> B\"]"}]}"#)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(runError == nil, "\(runError ?? "")")
    }

    @Test func aByteOrderMarkIsAcceptedByBoth() throws {
        let (diagnostics, runError) = try bothVerdicts("\u{FEFF}" + #"{"name": "b", "steps": [{"goto": "/"}]}"#)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(runError == nil, "\(runError ?? "")")
    }

    @Test func aFlowNestedPastTheJSONLimitIsAnErrorWithItsPosition() throws {
        let deep = String(repeating: "[", count: 9000) + String(repeating: "]", count: 9000)
        let (diagnostics, runError) = try bothVerdicts(#"{"name": "d", "steps": "# + deep + "}")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.line == 1 && diagnostic.message.contains("nested deeper than \(JSON.maximumNestingDepth) levels"))
        #expect(runError?.contains("nested deeper than") == true)
    }
}

/// The runner's messages and evidence use the same matcher as capture.
@Suite struct RunnerRedactionTests {
    @Test func aPercentEncodedSecretInAFailureMessageIsRedacted() {
        let redactor = MessageRedactor(secretNames: ["TOKEN"], environment: ["TOKEN": #"s3cr3t "value""#])
        let message = #"waitFor url /done?t=s3cr3t%20%22value%22 timed out at http://x/?t=s3cr3t+%22value%22"#
        #expect(redactor.redact(message) == "waitFor url /done?t=<redacted:TOKEN> timed out at http://x/?t=<redacted:TOKEN>")
    }
}
