import Foundation
import JSONCore
import Testing
@testable import DiscoverCLI
@testable import Discovery

/// `docs/deploy/`: the container build file, the Kubernetes CronJob and the CI schedule are read as the
/// tools that run them read them (YAML through PyYAML, the Dockerfile instruction by instruction), and
/// each runs the command the README documents, which `discover run` accepts.
@Suite struct DeploymentExamplesTests {
    static let folder = Repository.root.appendingPathComponent("docs/deploy")

    /// The README's command: the line of the `sh` block after `<!-- scheduled-recapture-command -->`.
    static func documentedCommand() throws -> String {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let marker = readme.range(of: "<!-- scheduled-recapture-command -->\n```sh\n") else {
            throw TestFailure("README.md has no scheduled-recapture-command block")
        }
        return String(readme[marker.upperBound...].prefix { $0 != "\n" })
    }

    /// YAML documents as JSON, through PyYAML (what kubectl's and GitLab's parsers accept, it accepts).
    static func yamlDocuments(_ name: String) async throws -> [JSON] {
        let path = folder.appendingPathComponent(name).path
        let text = try await python(
            "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))", [path], hint: "\(name) is not valid YAML")
        return try JSON.parse(text).arrayValue ?? []
    }

    /// The command's words as a shell splits them (double quotes only, as the README writes it).
    static func words(_ command: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, inWord = false
        for character in command {
            if character == "\"" { quoted.toggle(); inWord = true; continue }
            if character == " " && !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
                continue
            }
            current.append(character)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }

    @Test func theDocumentedCommandIsOneRunAccepts() throws {
        let words = Self.words(try Self.documentedCommand())
        #expect(words.first == "discover" && words.dropFirst().first == "run")
        let environment = ["AI_TOOLKIT_URL": "https://pod-8675.proxy.runpod.net", "WEBDRIVER_URL": "http://grid:4444", "DISCOVER_DATA": "/data"]
        let expanded = words.dropFirst(2).map { word in
            environment.reduce(word) { $0.replacingOccurrences(of: "$" + $1.key, with: $1.value) }
        }
        let parsed = try parseArguments(Array(expanded), command: RunCommand.name, options: RunCommand.options)
        let configuration = try RunConfiguration(flowsPath: URL(fileURLWithPath: parsed.positionals[0]), baseURL: parsed.value("base-url") ?? "", arguments: parsed)
        #expect(configuration.outputFolder.path == "/data/ai-toolkit" && configuration.baselineIfPresent)
        #expect(configuration.junitPath == "/data/results/junit.xml" && configuration.summaryPath == "/data/results/summary.json")
        // The flows the image holds are the repository's.
        #expect(parsed.positionals == ["/opt/discover/flows/ai-toolkit"])
        #expect(FileManager.default.fileExists(atPath: Repository.aiToolkitFlows.path))
    }

    @Test func theCronJobRunsTheCommandWithThePasswordFromASecret() async throws {
        let documents = try await Self.yamlDocuments("cronjob.yaml")
        let cronJob = try #require(documents.first { $0["kind"]?.stringValue == "CronJob" })
        #expect(cronJob["apiVersion"]?.stringValue == "batch/v1")
        let schedule = try #require(cronJob["spec"]?["schedule"]?.stringValue)
        #expect(schedule.split(separator: " ").count == 5, "a cron schedule has five fields: \(schedule)")
        #expect(cronJob["spec"]?["concurrencyPolicy"]?.stringValue == "Forbid")
        let pod = try #require(cronJob["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"])
        #expect(["Never", "OnFailure"].contains(pod["restartPolicy"]?.stringValue ?? ""))
        let container = try #require(pod["containers"]?[0])
        let args = container["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        // Kubernetes expands $(NAME) from the container's env; the shell expands "$NAME".
        let asShell = args.map { argument -> String in
            let expanded = argument.replacingOccurrences(of: #"\$\(([A-Z_]+)\)"#, with: "\\$$1", options: .regularExpression)
            return expanded.contains("$") ? "\"\(expanded)\"" : expanded
        }
        #expect("discover " + asShell.joined(separator: " ") == (try Self.documentedCommand()))
        let env = container["env"]?.arrayValue ?? []
        let names = Set(env.compactMap { $0["name"]?.stringValue })
        for argument in args {
            for match in argument.matches(of: /\$\(([A-Z_]+)\)/) {
                #expect(names.contains(String(match.1)), "$(\(match.1)) is not in the container's env")
            }
        }
        let password = env.first { $0["name"]?.stringValue == "AI_TOOLKIT_PASSWORD" }
        #expect(password?["valueFrom"]?["secretKeyRef"]?["key"]?.stringValue != nil, "the password comes from a Secret")
        #expect(password?["value"] == nil)
        // The volume the runs are kept on is the claim the file declares.
        let claim = pod["volumes"]?[0]?["persistentVolumeClaim"]?["claimName"]?.stringValue
        #expect(documents.contains { $0["kind"]?.stringValue == "PersistentVolumeClaim" && $0["metadata"]?["name"]?.stringValue == claim })
    }

    @Test func theCIScheduleRunsTheCommandAndReportsItsJUnitFile() async throws {
        let pipeline = try #require(try await Self.yamlDocuments("gitlab-ci.yml").first)
        let job = try #require(pipeline["recapture-ai-toolkit"])
        #expect(job["script"]?.arrayValue?.compactMap(\.stringValue) == [try Self.documentedCommand()])
        #expect(job["rules"]?[0]?["if"]?.stringValue == "$CI_PIPELINE_SOURCE == \"schedule\"")
        // GitLab reads the JUnit file where the command writes it ($DISCOVER_DATA is data/ in the project).
        #expect(job["variables"]?["DISCOVER_DATA"]?.stringValue == "$CI_PROJECT_DIR/data")
        #expect(job["artifacts"]?["reports"]?["junit"]?.stringValue == "data/results/junit.xml")
        #expect(job["artifacts"]?["when"]?.stringValue == "always", "a failed run's report is what CI must show")
        #expect(job["cache"]?["paths"]?.arrayValue?.compactMap(\.stringValue) == ["data/ai-toolkit/"], "the next run's baseline")
        #expect(job["image"]?["entrypoint"]?.arrayValue?.compactMap(\.stringValue) == [""], "GitLab needs a shell, not the image's entrypoint")
    }

    @Test func theContainerBuildFileBuildsTheDocumentedBinaryAndHoldsWhatTheCommandNeeds() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("Dockerfile"), encoding: .utf8)
        // Instructions as Docker reads them: continuation lines joined, comments dropped.
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        let instructions = joined.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let known: Set<String> = ["FROM", "ARG", "RUN", "COPY", "ENV", "WORKDIR", "USER", "ENTRYPOINT", "CMD", "LABEL", "EXPOSE", "VOLUME"]
        for instruction in instructions {
            let keyword = String(instruction.prefix { $0 != " " })
            #expect(known.contains(keyword), "unknown instruction: \(instruction)")
        }
        #expect(instructions.first?.hasPrefix("ARG ") == true || instructions.first?.hasPrefix("FROM ") == true)
        let stages = instructions.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2 && stages[0].hasSuffix(" AS build"))
        for copy in instructions where copy.contains("--from=") {
            #expect(copy.contains("--from=build "), "COPY from a stage that does not exist: \(copy)")
        }
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let build = try #require(instructions.first { $0.hasPrefix("RUN swift build") }).dropFirst("RUN ".count)
        #expect(readme.contains("`\(build)`"), "the README documents another build command than \(build)")
        #expect(instructions.contains("ENTRYPOINT [\"discover\"]"))
        #expect(instructions.contains("COPY flows /opt/discover/flows"))
        #expect(instructions.contains("ENV DISCOVER_DATA=/data"))
        // The report page's stylesheet and script travel beside the binary.
        #expect(instructions.contains { $0.contains(".build/release/\(ReportAssets.bundleName)") })
        #expect(instructions.contains { $0.hasPrefix("RUN apt-get") && $0.contains("chromium-headless-shell") })
    }
}
