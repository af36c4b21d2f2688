import Flows
import Foundation
import JSONCore
import Testing

@Suite("Interpolation, environment checks and redaction")
struct InterpolationTests {
    let interpolator = Interpolator(
        environment: ["PASSWORD": "hunter2"], variables: ["dataset": "ds1"],
        run: RunInfo(id: "r42", date: Date(timeIntervalSince1970: 1_790_000_000), baseURL: "http://127.0.0.1:8675"))

    @Test("env, vars and run built-ins are replaced; JavaScript template literals are not")
    func replaces() throws {
        #expect(try interpolator.interpolate("${env.PASSWORD}/${vars.dataset}/${run.id}/${run.baseURL}") == "hunter2/ds1/r42/http://127.0.0.1:8675")
        #expect(try interpolator.interpolate("${run.date}") == "2026-09-21")
        #expect(try interpolator.interpolate("`${x}` ${vars.dataset}") == "`${x}` ds1")
        #expect(try interpolator.interpolate(["a": ["${vars.dataset}"]]) == ["a": ["ds1"]])
    }

    @Test("an unknown variable names itself and the known ones")
    func unknown() {
        #expect { try interpolator.interpolate("${vars.job}") } throws: { "\($0)".contains("job") && "\($0)".contains("dataset") }
        #expect { try interpolator.interpolate("${env.TOKEN}") } throws: { "\($0)".contains("TOKEN is not set") }
    }

    @Test("missing environment variables are all named with the flows that need them")
    func missingEnvironment() throws {
        let login = try FlowLoader.decode(
            ["name": "login", "requires": ["PASSWORD"], "steps": [["fill": "#p", "value": "${env.USER_NAME}"]]],
            file: URL(fileURLWithPath: "/tmp/01-login.flow.json"))
        #expect { try Flow.checkEnvironment([login], [:]) } throws: { error in
            let text = "\(error)"
            return text.contains("PASSWORD (needed by 01-login.flow.json)") && text.contains("USER_NAME")
        }
        try Flow.checkEnvironment([login], ["PASSWORD": "x", "USER_NAME": "y"])
    }

    @Test("secrets become <redacted:NAME>")
    func redaction() {
        let redactor = MessageRedactor(secretNames: ["PASSWORD"], environment: ["PASSWORD": "hunter2", "OTHER": "x"])
        #expect(redactor.redact("typed hunter2 into #p") == "typed <redacted:PASSWORD> into #p")
    }

    @Test("when holds only for listed values of a set variable")
    func when() {
        let condition = WhenCondition(variable: "until", allowed: ["checkpoint", "completed"])
        #expect(condition.holds(in: ["until": "checkpoint"]))
        #expect(!condition.holds(in: ["until": "started"]))
        #expect(!condition.holds(in: [:]))
    }
}
