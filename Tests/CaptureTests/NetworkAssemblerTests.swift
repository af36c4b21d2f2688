import Foundation
import JSONCore
import Testing
@testable import Capture
@testable import Recording

@Suite struct NetworkAssemblerHTTPTests {
    typealias F = AssemblerFixture

    @Test func extraInfoBeforeTheMainEventsGivesWireHeaders() throws {
        let f = try F()
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "1", "headers": ["Cookie": "sid=1", "Accept": "*/*"]])
        f.send("Network.responseReceivedExtraInfo", ["requestId": "1", "statusCode": 200, "headers": ["set-cookie": "sid=2", "content-type": "application/json"]])
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/jobs"))
        f.send("Network.responseReceived", F.response("1"))
        f.send("Network.loadingFinished", F.finished("1"))
        f.answerBodies(["1": #"{"jobs":[]}"#])
        let exchange = try #require(try f.finish().exchanges.first)
        #expect(exchange.request.headersFromWire)
        #expect(exchange.request.headers.value(of: "cookie") == "sid=<redacted:cookie>")
        #expect(exchange.response?.headersFromWire == true)
        #expect(exchange.response?.headers.value(of: "Set-Cookie") == "sid=<redacted:cookie>")
        #expect(exchange.response?.body?.text == #"{"jobs":[]}"#)
        #expect(exchange.startedAt == 1_700_000_000)
        #expect(exchange.target?.type == "page")
        #expect(exchange.initiator?.url == "http://127.0.0.1:9/app.js")
        let timings = try #require(exchange.timings)
        #expect(timings.connect > 0.19 && timings.connect < 0.21)
        #expect(timings.wait == 20)
    }

    @Test func extraInfoAfterTheExchangeEndedIsStillPaired() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/jobs"))
        f.send("Network.responseReceived", F.response("1"))
        f.send("Network.loadingFinished", F.finished("1"))
        f.answerBodies(["1": "{}"])
        // Not written yet: it waits for its ExtraInfo.
        #expect(try f.lines().count == 1)
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "1", "headers": ["Authorization": "Bearer abc"]])
        #expect(try f.lines().count == 1)
        f.send("Network.responseReceivedExtraInfo", ["requestId": "1", "statusCode": 200, "headers": ["X-Wire": "yes"]])
        #expect(try f.lines().count == 2)
        let exchange = try #require(try f.finish().exchanges.first)
        #expect(exchange.request.headers.value(of: "authorization") == "Bearer <redacted:authorization>")
        #expect(exchange.response?.headers.value(of: "x-wire") == "yes")
    }

    @Test func redirectChainBecomesLinkedExchangesEachWithItsOwnWireHeaders() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("7", "http://127.0.0.1:9/a", type: "Document"))
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "7", "headers": ["Hop": "0"]])
        f.send("Network.responseReceivedExtraInfo", ["requestId": "7", "statusCode": 302, "headers": ["Location": "/b", "Hop": "0"]])
        f.send("Network.requestWillBeSent", F.request("7", "http://127.0.0.1:9/b", type: "Document", timestamp: 100.2,
                                                      redirect: F.responseObject(status: 302, headers: ["Location": "/b"])))
        f.send("Network.responseReceivedExtraInfo", ["requestId": "7", "statusCode": 302, "headers": ["Location": "/c", "Hop": "1"]])
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "7", "headers": ["Hop": "1"]])
        f.send("Network.requestWillBeSent", F.request("7", "http://127.0.0.1:9/c", type: "Document", timestamp: 100.3,
                                                      redirect: F.responseObject(status: 302, headers: ["Location": "/c"])))
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "7", "headers": ["Hop": "2"]])
        f.send("Network.responseReceived", F.response("7", mime: "text/html", type: "Document"))
        f.send("Network.responseReceivedExtraInfo", ["requestId": "7", "statusCode": 200, "headers": ["Hop": "2"]])
        f.send("Network.loadingFinished", F.finished("7", timestamp: 100.5))
        f.answerBodies(["7": "<html></html>"])
        let chain = try f.finish().exchanges
        #expect(chain.map(\.url) == ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b", "http://127.0.0.1:9/c"])
        #expect(chain.map { $0.response?.status } == [302, 302, 200])
        #expect(chain.map { $0.request.headers.value(of: "hop") } == ["0", "1", "2"])
        #expect(chain.map { $0.response?.headers.value(of: "hop") } == ["0", "1", "2"])
        #expect(chain[0].redirectedTo == chain[1].id && chain[1].redirectedFrom == chain[0].id)
        #expect(chain[1].redirectedTo == chain[2].id && chain[2].redirectedFrom == chain[1].id)
        #expect(chain[0].response?.body == nil)
        #expect(chain[2].response?.body?.text == "<html></html>")
        // Only the last hop's body is fetched.
        #expect(f.commands.count == 1)
    }

    @Test func aRedirectedHopsWireHeadersThatComeAfterTheNextHopStartedStillReachIt() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("8", "http://127.0.0.1:9/old", type: "Document"))
        f.send("Network.requestWillBeSent", F.request("8", "http://127.0.0.1:9/new", type: "Document", timestamp: 100.2,
                                                      redirect: F.responseObject(status: 301, headers: ["Location": "/new"])))
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "8", "headers": ["Hop": "0"]])
        f.send("Network.responseReceivedExtraInfo", ["requestId": "8", "statusCode": 301, "headers": ["Location": "/new", "Hop": "0"]])
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": "8", "headers": ["Hop": "1"]])
        f.send("Network.responseReceived", F.response("8", mime: "text/html", type: "Document"))
        f.send("Network.responseReceivedExtraInfo", ["requestId": "8", "statusCode": 200, "headers": ["Hop": "1"]])
        f.send("Network.loadingFinished", F.finished("8", timestamp: 100.5))
        f.answerBodies(["8": "<html></html>"])
        // Both hops were written when their wire headers came, not when the grace period ran out.
        #expect(try f.lines().filter { $0["record"]?.stringValue == "exchange" }.count == 2)
        let chain = try f.finish().exchanges
        #expect(chain.map(\.url) == ["http://127.0.0.1:9/old", "http://127.0.0.1:9/new"])
        #expect(chain.map(\.request.headersFromWire) == [true, true])
        #expect(chain.map { $0.request.headers.value(of: "hop") } == ["0", "1"])
        #expect(chain.map { $0.response?.headers.value(of: "hop") } == ["0", "1"])
        #expect(chain[0].redirectedTo == chain[1].id)
    }

    @Test func refusedConnectionAndServerErrorAreRecorded() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:1/api/x"))
        f.send("Network.loadingFailed", ["requestId": "1", "timestamp": 100.2, "type": "Fetch", "errorText": "net::ERR_CONNECTION_REFUSED", "canceled": false])
        f.send("Network.requestWillBeSent", F.request("2", "http://127.0.0.1:9/api/boom"))
        f.send("Network.responseReceived", F.response("2", status: 500, hasExtraInfo: false))
        f.send("Network.loadingFinished", F.finished("2"))
        f.answerBodies(["2": #"{"error":"boom"}"#])
        let exchanges = try f.finish().exchanges
        #expect(exchanges[0].failure?.errorText == "net::ERR_CONNECTION_REFUSED")
        #expect(exchanges[0].response == nil)
        #expect(exchanges[1].response?.status == 500)
        #expect(exchanges[1].response?.body?.text == #"{"error":"boom"}"#)
    }

    @Test func postDataInlineOrFetchedAndMultipartKeptAsParts() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/login", method: "POST",
                                                      headers: ["Content-Type": "application/json"], post: #"{"password":"pw1234"}"#))
        f.send("Network.loadingFailed", ["requestId": "1", "errorText": "net::ERR_ABORTED", "canceled": true])
        f.send("Network.requestWillBeSent", F.request("2", "http://127.0.0.1:9/api/datasets/upload", method: "POST",
                                                      headers: ["Content-Type": "multipart/form-data; boundary=XyZ"], hasPostData: true))
        guard case .fetchRequestPostData(let id, _, "2", _) = try #require(f.commands.last) else {
            Issue.record("expected a post data fetch, got \(f.commands)")
            return
        }
        f.core.withAssembler { $0.postDataArrived(exchangeID: id, bytes: Array(MultipartParserTests.body.utf8), error: nil) }
        f.send("Network.responseReceived", F.response("2", hasExtraInfo: false))
        f.send("Network.loadingFinished", F.finished("2"))
        f.answerBodies(["2": "{}"])
        let exchanges = try f.finish().exchanges
        #expect(exchanges[0].request.body?.text == #"{"password":"<redacted:field password>"}"#)
        #expect(exchanges[0].failure?.canceled == true)
        let parts = try #require(exchanges[1].request.body?.multipart)
        #expect(parts.map(\.name) == ["datasetName", "files", "password"])
        #expect(parts[1].filename == "a;b.png" && parts[1].value == nil)
        #expect(parts[2].value == "<redacted:field password>")
    }

    @Test func excludedURLsAreNotRecordedAndStaticAssetsAreFlagged() throws {
        let f = try F(exclude: ["**/_next/**"])
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/_next/static/app.js", type: "Script"))
        f.send("Network.responseReceived", F.response("1", mime: "application/javascript", hasExtraInfo: false, type: "Script"))
        f.send("Network.loadingFinished", F.finished("1"))
        f.send("Network.requestWillBeSent", F.request("2", "http://127.0.0.1:9/logo.png", type: "Image"))
        f.send("Network.responseReceived", F.response("2", mime: "image/png", hasExtraInfo: false, type: "Image"))
        f.send("Network.loadingFinished", F.finished("2"))
        f.answerBodies(["2": "x"])
        let exchanges = try f.finish().exchanges
        #expect(exchanges.map(\.url) == ["http://127.0.0.1:9/logo.png"])
        #expect(exchanges[0].isStaticAsset)
    }

    @Test func aCrashedRendererEndsItsInFlightExchangesAsFailed() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/slow"))
        f.send("Network.requestWillBeSent", F.request("9", "http://127.0.0.1:9/api/other-tab"), session: "S2")
        f.send("Inspector.targetCrashed", [:])
        f.send("Target.detachedFromTarget", ["sessionId": "S2", "targetId": "T2"], session: nil)
        let exchanges = try f.finish().exchanges
        #expect(exchanges.count == 2)
        #expect(exchanges[0].failure?.errorText.contains("Inspector.targetCrashed") == true)
        #expect(exchanges[1].failure?.errorText.contains("detached") == true)
    }

    @Test func iframeRequestsInThePageSessionGetTheirOwnTargetType() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/in-frame", frameId: "CHILD"))
        f.send("Network.loadingFailed", ["requestId": "1", "errorText": "net::ERR_FAILED"])
        f.core.withAssembler { $0.registerTarget(sessionId: "W", SessionTarget(type: "worker", targetId: "WT", url: "http://127.0.0.1:9/w.js")) }
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/in-worker"), session: "W")
        f.send("Network.loadingFailed", ["requestId": "1", "errorText": "net::ERR_FAILED"], session: "W")
        let exchanges = try f.finish().exchanges
        #expect(exchanges.map { $0.target?.type } == ["iframe", "worker"])
    }

    @Test func provenanceIsTheStepActiveWhenTheExchangeStarted() throws {
        let f = try F()
        f.core.withAssembler { $0.setProvenance(Provenance(flow: "login", step: 2, description: "click role=button \"Sign in\""), at: 1_700_000_000) }
        f.core.withAssembler { $0.setProvenance(nil, at: 1_700_000_001) }
        // Processed after the step ended, but the browser started it during the step.
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/auth", wallTime: 1_700_000_000.5))
        f.send("Network.requestWillBeSent", F.request("2", "http://127.0.0.1:9/api/poll", wallTime: 1_700_000_001.5))
        f.send("Network.loadingFailed", ["requestId": "1", "errorText": "x"])
        f.send("Network.loadingFailed", ["requestId": "2", "errorText": "x"])
        let exchanges = try f.finish().exchanges
        #expect(exchanges.map { $0.provenance?.step } == [2, nil])
    }

    @Test func anExchangeStillInFlightAtFinishIsWrittenAsSuch() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/long-poll"))
        let file = try f.finish(complete: false)
        #expect(!file.isComplete)
        #expect(file.exchanges.first?.failure?.errorText == "still in flight when the capture finished")
    }
}
