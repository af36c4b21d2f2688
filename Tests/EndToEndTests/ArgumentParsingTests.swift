import Testing
@testable import DiscoverCLI

@Suite struct ArgumentParsingTests {
    let options: [OptionSpec] = [
        .value("base-url", "URL", ""), .value("var", "NAME=VALUE", "", repeatable: true), .flag("keep-going", ""),
    ]

    @Test func parsesValuesFlagsRepeatsAndPositionals() throws {
        let parsed = try parseArguments(
            ["flows/x", "--base-url", "http://a", "--var=a=1", "--var", "b=2", "--keep-going", "--", "--literal"],
            command: "run", options: options)
        #expect(parsed.positionals == ["flows/x", "--literal"])
        #expect(parsed.value("base-url") == "http://a")
        #expect(parsed.all("var") == ["a=1", "b=2"])
        #expect(parsed.has("keep-going"))
    }

    @Test func suggestsTheClosestOptionForATypo() {
        #expect {
            try parseArguments(["--base-ulr", "x"], command: "run", options: options)
        } throws: { error in
            (error as? UsageError)?.message.contains("did you mean '--base-url'") == true
        }
    }

    @Test func rejectsAMissingValueAndAValueOnAFlag() {
        #expect(throws: UsageError.self) { try parseArguments(["--base-url"], command: "run", options: options) }
        #expect(throws: UsageError.self) { try parseArguments(["--keep-going=yes"], command: "run", options: options) }
        #expect(throws: UsageError.self) { try parseArguments(["--base-url", "a", "--base-url", "b"], command: "run", options: options) }
    }

    @Test func unknownCommandIsAUsageError() async {
        #expect(await DiscoverCommand.run(["frobnicate"]) == .usage)
        #expect(await DiscoverCommand.run(["--version"]) == .success)
    }
}
