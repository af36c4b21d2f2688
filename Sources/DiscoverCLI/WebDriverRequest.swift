import Browser
import Foundation
import JSONCore

/// `--webdriver URL [--capabilities FILE] [--webdriver-timeout S]`: which browser pool to ask for the
/// run's browser, and with which capabilities.
struct WebDriverRequest: Sendable {
    var server: String
    var newSessionBody: JSON
    /// How long the server may take to create, and to delete, the session.
    var timeout: Duration = .seconds(60)

    /// nil without `--webdriver`. A capabilities file that cannot be read or used is an input error (4).
    static func read(_ arguments: ParsedArguments) throws -> WebDriverRequest? {
        guard let server = arguments.value("webdriver") else {
            for option in ["capabilities", "webdriver-timeout"] where arguments.value(option) != nil {
                throw UsageError(message: "--\(option) goes with --webdriver URL", command: nil)
            }
            return nil
        }
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw UsageError(message: "--webdriver takes the server's address, such as http://127.0.0.1:4444 (Selenium Grid) or http://127.0.0.1:9515 (chromedriver), not '\(server)'", command: nil)
        }
        if arguments.value("connect") != nil {
            throw UsageError(message: "--webdriver and --connect do not go together: each names the browser to use", command: nil)
        }
        for option in ["browser", "transport"] where arguments.value(option) != nil {
            throw UsageError(message: "--\(option) is for a browser discover launches; with --webdriver the pool launches it (its executable goes in goog:chromeOptions.binary, in --capabilities)", command: nil)
        }
        var overrides: JSON?
        let file = arguments.value("capabilities")
        if let file {
            do {
                overrides = try JSON.parse(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: file))))
            } catch let error as JSONParseError {
                throw CommandFailure(code: .input, message: "--capabilities \(file):\(error.line):\(error.column): \(error.message)")
            } catch {
                throw CommandFailure(code: .input, message: "--capabilities \(file): \(error.localizedDescription)")
            }
        }
        var request: WebDriverRequest
        do {
            request = WebDriverRequest(server: server, newSessionBody: try WebDriverCapabilities.newSessionBody(headless: !arguments.has("headed"), overrides: overrides))
        } catch {
            throw CommandFailure(code: .input, message: "--capabilities \(file ?? ""): \(error)")
        }
        if let text = arguments.value("webdriver-timeout") {
            guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                throw UsageError(message: "--webdriver-timeout takes seconds, more than 0 and at most 3600, not '\(text)'", command: nil)
            }
            request.timeout = .milliseconds(Int(seconds * 1000))
        }
        return request
    }
}
