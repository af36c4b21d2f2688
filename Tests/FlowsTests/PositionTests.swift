import Flows
import Foundation
import JSONCore
import Testing

/// `position` on click, dblclick and hover: the point (and the hit test) move from the centre to an
/// offset from the element's top-left corner, as the Recorder's offsetX/offsetY say.
@Suite("Pointer positions in Chromium")
struct PositionTests {
    @Test("click, dblclick and hover land at the position from the element's top-left corner")
    func landsAtThePosition() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/positions"],
                ["click": "css=#pad", "position": ["x": 10, "y": 15]],
                ["dblclick": "css=#pad", "position": ["x": 30, "y": 5]],
                ["hover": "css=#pad", "position": ["x": 60, "y": 25]],
            ])
            #expect(result.passed, "\(result.report)")
            let events = try await bed.events { $0.last == "move:60,25" }
            #expect(events.contains("click:10,15"), "\(events)")
            #expect(events.contains("dblclick:30,5"), "\(events)")
            #expect(events.last == "move:60,25", "\(events)")
        }
    }

    @Test("the hit test is at the position: the centre is covered, a free point is clickable, a covered one names the cover")
    func hitTestAtThePosition() async throws {
        try await TestBed.with { bed in
            let centre = try await bed.run([["goto": "/pages/positions"], ["click": "css=#pad", "timeout": 1000]])
            #expect(centre.failures.first?.message.contains(#"<div id="cover">"#) == true, "\(centre.report)")

            let covered = try await bed.run([["click": "css=#pad", "position": ["x": 150, "y": 10], "timeout": 1000]])
            let failure = try #require(covered.failures.first)
            #expect(failure.message.contains(#"<div id="cover">"#) && failure.message.contains("would receive the click instead of"), "\(failure.message)")
            #expect(failure.message.hasSuffix(#"<div id="pad"> "Pad"  at #pad (at 150, 10 from its top-left corner)"#), "\(failure.message)")

            let outside = try await bed.run([["click": "css=#pad", "position": ["x": 250, "y": 10], "timeout": 1000]])
            #expect(outside.failures.first?.message.hasSuffix(#"the position (250, 10) is outside <div id="pad"> "Pad"  at #pad, which is 200×40"#) == true, "\(outside.report)")

            let free = try await bed.run([["click": "css=#pad", "position": ["x": 5, "y": 5]]])
            #expect(free.passed, "\(free.report)")
            let clicks = try await bed.events { $0.contains("click:5,5") }.filter { $0.hasPrefix("click:") }
            #expect(clicks == ["click:5,5"])
        }
    }
}
