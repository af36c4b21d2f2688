import Foundation

/// Per flow, each executed step as a bar on the flow's time axis, and under it the requests it caused,
/// one row per method and path with a segment per call (so polling shows as a rhythm), status-coloured;
/// stream messages are ticks on their connection's row. Drawn with positioned elements only: it needs
/// no script, and the same run draws the same bytes.
enum TimelineSection {
    typealias Request = TimelineCollector.Request

    /// `requests`: the capture's rows in start order (sorted once for this section and the streams').
    static func write(_ context: HTMLReport.Context, requests: [Request], into html: inout HTMLText) {
        html.raw("<section id=\"timeline\">\n<h2>Timeline</h2>\n")
        guard let run = context.steps else {
            html.raw("<p class=\"note\">No run.json beside the capture: the timeline needs the step times a run records (<code>discover run</code> and <code>discover demo</code> write it).</p>\n</section>\n")
            return
        }
        if context.timeline == nil {
            html.raw("<p class=\"note\">No capture.jsonl was read: steps only, without the requests they caused.</p>\n")
        }
        if let omitted = context.timeline?.omitted, omitted > 0 {
            html.raw("<p class=\"note\">")
            html.add("The first \(TimelineCollector.maxRequests) requests are drawn; \(omitted) later ones are in capture.jsonl only.")
            html.raw("</p>\n")
        }
        html.raw("<p class=\"legend\"><span class=\"bar wait\"></span> waiting for the element <span class=\"bar\"></span> step <span class=\"seg s2\"></span> 2xx <span class=\"seg s3\"></span> 3xx <span class=\"seg s4\"></span> 4xx <span class=\"seg s5\"></span> 5xx <span class=\"seg sx\"></span> failed or no answer <span class=\"tick\"></span> stream message</p>\n")
        let byFlow = Dictionary(grouping: requests.filter { $0.flow != nil }, by: { $0.flow! })
        let unattributed = requests.filter { $0.flow == nil }
        for flow in run.flows {
            write(flow, requests: byFlow[flow.name] ?? [], background: unattributed, link: context.runFolderLink, into: &html)
        }
        html.raw("</section>\n")
    }

    private static func write(_ flow: RunSteps.Flow, requests: [Request], background: [Request], link: String, into html: inout HTMLText) {
        html.raw("<div class=\"flow\" id=\"")
        html.add(HTMLText.anchor("flow-", flow.name))
        html.raw("\"><h3>")
        html.add(flow.file.isEmpty ? flow.name : flow.file)
        html.raw(" <span class=\"badge \(flow.status == "failed" ? "bad" : flow.status == "skipped" ? "muted" : "good")\">")
        html.add(flow.status)
        html.raw("</span>")
        let executed = flow.steps.filter(\.executed)
        guard let start = executed.compactMap(\.startedAt).min() else {
            html.raw("</h3>")
            if let reason = flow.skipReason {
                html.raw("<p class=\"note\">")
                html.add(reason)
                html.raw("</p>")
            }
            html.raw("</div>\n")
            return
        }
        let stepsEnd = executed.compactMap { $0.endedAt ?? $0.startedAt }.max() ?? start
        let requestsEnd = requests.map { $0.endedAt ?? $0.startedAt }.max() ?? start
        // Streams outlive their step: the axis ends with the flow's own steps, plus what they fetched
        // within a second of the end (a stream's later ticks are clipped, not stretching the flow).
        let end = max(stepsEnd, min(requestsEnd, stepsEnd + 1), start + 0.001)
        let span = end - start
        // Times no run produces (run.json or the capture edited): said, not drawn.
        guard span.isFinite, span > 0, span < 1e7 else {
            html.raw("</h3><p class=\"note\">The step times in run.json are out of range: not drawn.</p></div>\n")
            return
        }
        html.raw(" <span class=\"aside\">")
        html.add(HTMLText.duration(stepsEnd - start))
        html.raw("</span></h3>\n")
        axis(span: span, into: &html)
        let byStep = Dictionary(grouping: requests, by: { StepKey(index: $0.step ?? 0, description: $0.stepDescription ?? "") })
        html.raw("<ol class=\"steps\">\n")
        for step in executed.sorted(by: { ($0.startedAt ?? 0, $0.index) < ($1.startedAt ?? 0, $1.index) }) {
            let stepStart = step.startedAt ?? start
            let stepEnd = step.endedAt ?? stepStart
            html.raw("<li class=\"step \(["failed", "skipped"].contains(step.status) ? step.status : "passed")\"><div class=\"row\"><span class=\"label\" title=\"")
            html.add("\(step.file) step \(step.index)")
            html.raw("\">")
            html.add("#\(step.index) \(step.description)")
            html.raw("</span><span class=\"track\">")
            if let acted = step.actedAt, acted > stepStart, acted < stepEnd {
                // Waiting for the element (lighter), then the action and what it awaited after.
                html.raw("<span class=\"bar wait\" style=\"left:\(HTMLText.percent((stepStart - start) / span * 100));width:\(HTMLText.percent(max((acted - stepStart) / span * 100, 0.1)))\" title=\"")
                html.add("waited for the element: \(HTMLText.duration(acted - stepStart))")
                html.raw("\"></span><span class=\"bar\" style=\"left:\(HTMLText.percent((acted - start) / span * 100));width:\(HTMLText.percent(max((stepEnd - acted) / span * 100, 0.1)))\" title=\"")
                html.add("\(step.kind): \(HTMLText.duration(stepEnd - acted))")
            } else {
                html.raw("<span class=\"bar\" style=\"left:\(HTMLText.percent((stepStart - start) / span * 100));width:\(HTMLText.percent(max((stepEnd - stepStart) / span * 100, 0.2)))\" title=\"")
                html.add("\(step.kind): \(HTMLText.duration(stepEnd - stepStart))")
            }
            html.raw("\"></span></span><span class=\"ms\">")
            html.add(HTMLText.duration(stepEnd - stepStart))
            html.raw("</span></div>\n")
            if step.status == "failed" {
                failure(step, link: link, into: &html)
            } else if let screenshot = step.screenshot {
                html.raw("<details class=\"shot\"><summary>the page after this step</summary><a href=\"")
                html.add(link + screenshot)
                html.raw("\"><img src=\"")
                html.add(link + screenshot)
                html.raw("\" alt=\"the page after step \(step.index)\" loading=\"lazy\"></a></details>\n")
            }
            let caused = byStep[StepKey(index: step.index, description: step.description)] ?? []
            rows(caused, start: start, span: span, link: link, into: &html)
            html.raw("</li>\n")
        }
        let quiet = background.filter { $0.startedAt >= start && $0.startedAt <= end }
        if !quiet.isEmpty {
            html.raw("<li class=\"step background\"><div class=\"row\"><span class=\"label\">no step acting (background)</span><span class=\"track\"></span><span class=\"ms\"></span></div>\n")
            rows(quiet, start: start, span: span, link: link, into: &html)
            html.raw("</li>\n")
        }
        html.raw("</ol></div>\n")
    }

    private struct StepKey: Hashable {
        var index: Int
        var description: String
    }

    private static func axis(span: Double, into html: inout HTMLText) {
        // Five to ten round ticks whatever the span.
        let steps: [Double] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600]
        let every = steps.first { span / $0 <= 10 } ?? span / 10
        html.raw("<div class=\"row axis\"><span class=\"label\"></span><span class=\"track\">")
        var tick = 0.0
        while tick <= span + 1e-9 {
            html.raw("<span class=\"mark\" style=\"left:\(HTMLText.percent(tick / span * 100))\">")
            html.add(HTMLText.fixed(tick, decimals: every < 1 ? 2 : 0) + " s")
            html.raw("</span>")
            tick += every
        }
        html.raw("</span><span class=\"ms\"></span></div>\n")
    }

    private static func failure(_ step: RunSteps.Step, link: String, into html: inout HTMLText) {
        html.raw("<div class=\"failure\">")
        if let message = step.message {
            html.raw("<pre>")
            html.add(message)
            html.raw("</pre>")
        }
        if let screenshot = step.screenshot {
            html.raw("<a href=\"")
            html.add(link + screenshot)
            html.raw("\"><img src=\"")
            html.add(link + screenshot)
            html.raw("\" alt=\"the page when the step failed\" loading=\"lazy\"></a>")
        }
        html.raw("</div>\n")
    }

    /// One row per method and path, in order of first call; a segment per call, a tick per message.
    private static func rows(_ requests: [Request], start: Double, span: Double, link: String, into html: inout HTMLText) {
        guard !requests.isEmpty else { return }
        var order: [String] = []
        var groups: [String: [Request]] = [:]
        for request in requests {
            let key = "\(request.method) \(request.path)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(request)
        }
        html.raw("<ul class=\"reqs\">\n")
        for key in order {
            let calls = groups[key]!
            let worst = calls.map { $0.failure != nil || $0.status == nil && $0.kind == .http ? 600 : ($0.status ?? 0) }.max() ?? 0
            let messages = calls.reduce(0) { $0 + $1.messageCount }
            html.raw("<li class=\"call\"><div class=\"row\"><span class=\"label\"><span class=\"status \(worst == 600 ? "sx" : CatalogSection.statusClass(worst))\">")
            html.add(calls.count == 1 ? (calls[0].status.map(String.init) ?? (calls[0].failure == nil ? "…" : "failed")) : "\(calls.count)×")
            html.raw("</span> ")
            html.add(key)
            if messages > 0 { html.add(" (\(messages) messages)") }
            if calls.contains(where: \.backgroundPoll) { html.raw(" <span class=\"badge muted\">poll</span>") }
            for call in calls.prefix(3) where call.bodyFile != nil {
                html.raw(" <a href=\"")
                html.add(link + call.bodyFile!)
                html.raw("\">body</a>")
            }
            html.raw("</span><span class=\"track\">")
            for call in calls {
                let left = (call.startedAt - start) / span * 100
                let width = max(((call.endedAt ?? call.startedAt) - call.startedAt) / span * 100, 0.15)
                let status = call.failure != nil ? "sx" : call.kind == .http ? CatalogSection.statusClass(call.status) : "st"
                html.raw("<span class=\"seg \(status)\" style=\"left:\(HTMLText.percent(left));width:\(HTMLText.percent(min(width, 100 - max(left, 0))))\" title=\"")
                html.add("\(call.method) \(call.path) \(call.status.map(String.init) ?? call.failure ?? "") \(HTMLText.duration((call.endedAt ?? call.startedAt) - call.startedAt))")
                html.raw("\"></span>")
                for time in call.ticks where time >= start && time <= start + span {
                    html.raw("<span class=\"tick\" style=\"left:\(HTMLText.percent((time - start) / span * 100))\"></span>")
                }
            }
            html.raw("</span><span class=\"ms\">")
            if calls.count > 1 {
                let gaps = zip(calls.dropFirst(), calls).map { $0.startedAt - $1.startedAt }.sorted()
                html.add("every \(HTMLText.duration(gaps[gaps.count / 2]))")
            } else if let ended = calls[0].endedAt {
                html.add(HTMLText.duration(ended - calls[0].startedAt))
            }
            html.raw("</span></div></li>\n")
        }
        html.raw("</ul>\n")
    }
}
