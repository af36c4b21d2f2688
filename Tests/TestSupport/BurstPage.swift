/// The burst the capture must record exactly: fetches in batches, then frames sent and echoed over one
/// WebSocket. Shared by the burst test and `discover-bench capture`, so both measure the same page.
/// The server answers `/api/json` and echoes every frame on `/ws`.
public enum BurstPage {
    public static let fetches = 10_000
    public static let framesEachWay = 50_000

    /// Evaluates to the number of echoed frames received.
    public static let script = """
        (async () => {
          const total = \(fetches), batch = 250;
          for (let i = 0; i < total; i += batch) {
            await Promise.all(Array.from({length: batch}, (_, k) => fetch('/api/json?i=' + (i + k)).then(r => r.text())));
          }
          return await new Promise((resolve, reject) => {
            const ws = new WebSocket('ws://' + location.host + '/ws');
            let received = 0;
            ws.onopen = () => { for (let i = 0; i < \(framesEachWay); i++) ws.send('m' + i); };
            ws.onmessage = () => { if (++received === \(framesEachWay)) ws.close(); };
            ws.onclose = () => resolve(received);
            ws.onerror = () => reject(new Error('ws error'));
          });
        })()
        """
}
