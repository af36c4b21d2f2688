import Foundation
import JSONCore
import Testing
import TestSupport

@testable import Discovery

@Suite("The generated client against the replica")
struct ReplicaClientTests {
    /// Compiled with tsc to CommonJS and run with node: log in (token), create a dataset, list datasets.
    static let driver = """
    const { AIToolkitClient, ApiError } = require("./ai-toolkit-client.generated.js");
    (async () => {
      const client = new AIToolkitClient(process.argv[2]);
      let unauthorized = null;
      try {
        await client.listDatasets();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        unauthorized = { status: error.status, body: error.body };
      }
      client.setToken(process.argv[3]);
      const auth = await client.getAuth();
      const created = await client.createDataset({ name: "Node Client Set" });
      const datasets = await client.listDatasets();
      console.log(JSON.stringify({ unauthorized, auth, created, datasets }));
    })().catch((error) => {
      console.error("driver failed:", error);
      process.exit(1);
    });
    """

    @Test("node: login, createDataset and listDatasets through the generated client")
    func nodeCallsReplica() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/tsc"), "tsc is missing: apt-get install -y node-typescript")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/node"), "node is missing: apt-get install -y nodejs")
        let folder = try temporaryFolder("node")
        defer { try? FileManager.default.removeItem(at: folder) }
        let api = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))
        try Discovery.writeOutputs(api, to: folder)
        let compile = try await run("/usr/bin/tsc", [
            "--strict", "--target", "es2020", "--lib", "es2020,dom", "--module", "commonjs", "--outDir", folder.path,
            folder.appendingPathComponent("ai-toolkit-client.generated.ts").path,
        ])
        try #require(compile.status == 0, "tsc: \(compile.output)")
        try Self.driver.write(to: folder.appendingPathComponent("driver.js"), atomically: true, encoding: .utf8)

        let replica = try await TestReplica.start()
        let result = try await run("/usr/bin/node", ["driver.js", replica.baseURL, TestReplica.defaultPassword], in: folder)
        await replica.stop()
        try #require(result.status == 0, "node: \(result.output)")
        let line = try #require(result.output.split(separator: "\n").last.map(String.init))
        let output = try JSON.parse(line)
        #expect(output["unauthorized"]?["status"] == 401)
        #expect(output["unauthorized"]?["body"] == ["error": "Unauthorized"])
        #expect(output["auth"] == ["isAuthenticated": true])
        #expect(output["created"] == ["success": true, "name": "node_client_set"])
        #expect(output["datasets"]?.arrayValue?.contains("node_client_set") == true, "\(output)")
    }
}
