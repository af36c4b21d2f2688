import Browser
import Foundation
import JSONCore

/// `discover doctor --base-url URL`: what a run against a real AI Toolkit pod needs, asked of the pod in a
/// few seconds before a run finds out at flow 03. The requests go out from a page of the pod's own origin,
/// so a RunPod proxy's TLS and cookies are Chromium's business, as in a run.
struct PodPreflight {
    struct Finding: Sendable {
        let ok: Bool
        let subject: String
        let detail: String
    }

    let baseURL: String
    /// `AI_TOOLKIT_PASSWORD`; never printed.
    let password: String?
    let timeout: Duration

    func run(on page: Page) async -> [Finding] {
        let started = ContinuousClock.now
        do {
            try await page.goto(baseURL, timeout: timeout)
        } catch {
            return [Finding(
                ok: false, subject: "reachable",
                detail: "\(baseURL) did not load within \(Int(seconds(timeout))) s: \(error). Is the pod running, and is this its port 8675 URL (https://<pod>-8675.proxy.runpod.net)?")]
        }
        let loaded = ContinuousClock.now - started
        let answers: JSON
        do {
            answers = try await page.evaluate(Self.probeScript(password: password))
        } catch {
            return [Finding(ok: false, subject: "reachable", detail: "the page of \(baseURL) loaded but could not ask the API: \(error)")]
        }
        var findings = [Finding(ok: true, subject: "reachable", detail: "\(baseURL) loaded in \(milliseconds(loaded)) ms")]
        findings += auth(answers)
        findings += gpu(answers)
        findings.append(version(answers))
        findings.append(network(answers))
        return findings
    }

    /// Each answer as {status, ms, body} (or {error}); the monitor's only as far as its headers.
    static func probeScript(password: String?) -> String {
        let token = password.map { JSON.string($0).serialized() } ?? "null"
        return """
            (async () => {
              const token = \(token);
              const signedIn = token ? { Authorization: 'Bearer ' + token } : {};
              const ask = async (path, headers) => {
                const started = performance.now();
                try {
                  const response = await fetch(path, { headers, cache: 'no-store' });
                  const ms = Math.round(performance.now() - started);
                  let body = null;
                  try { body = await response.json(); } catch (_) {}
                  return { status: response.status, ms, body };
                } catch (error) { return { error: String(error) }; }
              };
              const anonymous = await ask('/api/auth', {});
              const withToken = token ? await ask('/api/auth', signedIn) : null;
              const gpu = await ask('/api/gpu', signedIn);
              let monitor;
              const controller = new AbortController();
              try {
                const response = await fetch('/api/monitor', { headers: { ...signedIn, Accept: 'text/event-stream' }, signal: controller.signal });
                monitor = { status: response.status, type: response.headers.get('content-type') || '' };
              } catch (error) { monitor = { error: String(error) }; }
              controller.abort();
              return { anonymous, withToken, gpu, monitor };
            })()
            """
    }

    private func auth(_ answers: JSON) -> [Finding] {
        var findings: [Finding] = []
        let anonymous = answers["anonymous"] ?? .null
        switch anonymous["status"]?.intValue {
        case 401:
            findings.append(Finding(ok: true, subject: "auth", detail: "on: the UI asks for a password"))
        case 200:
            findings.append(Finding(
                ok: false, subject: "auth",
                detail: "off: the pod was started without AI_TOOLKIT_AUTH, so the UI shows no login form and flow 01 fails at its first step. Set AI_TOOLKIT_AUTH on the pod, or run the flows without 01-login"))
            return findings
        case let status?:
            findings.append(Finding(ok: false, subject: "auth", detail: "GET /api/auth answered \(status): is this the AI Toolkit UI (port 8675)?"))
            return findings
        case nil:
            findings.append(Finding(ok: false, subject: "auth", detail: "GET /api/auth failed: \(anonymous["error"]?.stringValue ?? "no answer")"))
            return findings
        }
        guard password != nil else {
            findings.append(Finding(ok: false, subject: "password", detail: "AI_TOOLKIT_PASSWORD is not set here: flow 01 types it into the login form"))
            return findings
        }
        let signedIn = answers["withToken"] ?? .null
        if signedIn["status"]?.intValue == 200, signedIn["body"]?["isAuthenticated"]?.boolValue == true {
            findings.append(Finding(ok: true, subject: "password", detail: "AI_TOOLKIT_PASSWORD is accepted"))
        } else {
            findings.append(Finding(
                ok: false, subject: "password",
                detail: "the pod refuses AI_TOOLKIT_PASSWORD (GET /api/auth with it answered \(signedIn["status"]?.intValue.map(String.init) ?? "nothing")): it is not the pod's AI_TOOLKIT_AUTH"))
        }
        return findings
    }

    private func gpu(_ answers: JSON) -> [Finding] {
        let gpu = answers["gpu"] ?? .null
        guard gpu["status"]?.intValue == 200, let body = gpu["body"] else {
            if gpu["status"]?.intValue == 401 { return [] }  // The password finding says why.
            return [Finding(ok: false, subject: "GPU", detail: "GET /api/gpu answered \(gpu["status"]?.intValue.map(String.init) ?? gpu["error"]?.stringValue ?? "nothing")")]
        }
        let gpus = body["gpus"]?.arrayValue ?? []
        guard !gpus.isEmpty else {
            let smi = body["hasNvidiaSmi"]?.boolValue == true ? "nvidia-smi answers but lists none" : "no nvidia-smi"
            return [Finding(
                ok: false, subject: "GPU",
                detail: "none visible to the UI (\(smi)): /jobs/new stays at Loading... and flow 03 cannot create a job. Start the pod with a GPU")]
        }
        let names = gpus.compactMap { $0["name"]?.stringValue }
        return [Finding(ok: true, subject: "GPU", detail: "\(gpus.count) visible (\(Set(names).sorted().joined(separator: ", ")))")]
    }

    private func version(_ answers: JSON) -> Finding {
        let monitor = answers["monitor"] ?? .null
        if monitor["status"]?.intValue == 200, monitor["type"]?.stringValue?.hasPrefix("text/event-stream") == true {
            return Finding(ok: true, subject: "UI version", detail: "2026-08-14 or later (the SSE monitor at /api/monitor, added by 695b0bac; like the replica's 2026-08)")
        }
        if monitor["status"]?.intValue == 404 {
            return Finding(ok: true, subject: "UI version", detail: "older than 2026-08-14 (no /api/monitor: the GPU is polled at /api/gpu; like the replica's 2025-10)")
        }
        if monitor["status"]?.intValue == 401 {
            return Finding(ok: true, subject: "UI version", detail: "not told: GET /api/monitor needs the password")
        }
        return Finding(ok: true, subject: "UI version", detail: "not told: GET /api/monitor answered \(monitor["status"]?.intValue.map(String.init) ?? monitor["error"]?.stringValue ?? "nothing")")
    }

    private func network(_ answers: JSON) -> Finding {
        let round = answers["anonymous"]?["ms"]?.intValue ?? 0
        var detail = "a request takes \(round) ms"
        if round >= 2_000 {
            detail += "; steps wait 15 s by default, which such a network may need: consider --timeout 60000"
        } else if round >= 100 {
            detail += " (through a proxy: flow 01 waits for the monitor's first 401 before logging in, so it is not signed out again)"
        }
        return Finding(ok: true, subject: "network", detail: detail)
    }
}
