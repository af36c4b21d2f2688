/// Small pages, one concern each, that the runner tests drive. Each records what happened in
/// `window.events` so a test can check it with one evaluate.
enum FixturePages {
    static let logScript = """
        <script>
        window.events = [];
        function log(x) { window.events.push(x); }
        </script>
        """

    static let all: [String: String] = [
        "controls": """
            <!doctype html><html><head><title>Controls</title></head><body>
            \(logScript)
            <h1>Controls</h1>
            <div class="field"><label>Training Name</label><input id="training-name"></div>
            <div class="field"><label>Trigger Word</label><div class="wrap"><input id="trigger"></div></div>
            <label for="steps">Steps</label><input id="steps" type="number" value="2000">
            <label><input type="checkbox" id="agree" onchange="log('agree:' + this.checked)"> I agree</label>
            <button role="switch" aria-checked="false" id="vram" aria-label="Low VRAM"
              onclick="this.setAttribute('aria-checked', String(this.getAttribute('aria-checked') !== 'true'))">o</button>
            <select id="native" onchange="log('select:' + this.value)"><option value="a">Alpha</option><option value="b">Beta</option></select>
            <div class="actions">
              <button class="icon" onclick="log('play')"><svg class="lucide lucide-play" width="16" height="16"><rect width="16" height="16"/></svg></button>
              <button class="icon" onclick="log('trash')"><svg class="lucide lucide-trash-2" width="16" height="16"><rect width="16" height="16"/></svg></button>
            </div>
            <button onclick="log('save')">Save</button>
            <button onclick="log('save-all')">Save all</button>
            <button aria-labelledby="lbl-a lbl-b" onclick="log('labelledby')">x</button><span id="lbl-a">Start</span><span id="lbl-b">Training</span>
            <input placeholder="Dataset Name" id="ds">
            <img alt="Ostris AI Toolkit" width="10" height="10" src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==">
            <span title="Close" onclick="log('close')">×</span>
            <button data-testid="go" ondblclick="log('dbl')" onclick="log('go')">Go</button>
            <div id="hover-target" onmouseenter="log('hover')" style="width:50px;height:20px;background:#ccc">Hover me</div>
            <a href="/pages/jobs/123?tab=overview">Open job 123</a>
            <p id="status">Status: <b>idle</b></p>
            <input type="checkbox" id="styled" style="display:none" onchange="log('styled:' + this.checked)"><label for="styled" class="fancy">Use EMA</label>
            <button onclick="log('confirm:' + confirm('Really?'))">Ask</button>
            </body></html>
            """,
        "dropdown": """
            <!doctype html><html><head><style>
              .menu { position: absolute; top: 60px; left: 10px; border: 1px solid #888; background: white; }
              .menu div { padding: 4px 8px; }
              .value-container { display: grid; width: 200px; }
              .single-value, .select-input { grid-area: 1 / 1; }
              .single-value { pointer-events: none; }
              .select-input { border: 0; background: transparent; }
            </style></head><body>
            \(logScript)
            <div class="field"><label>Dataset</label>
              <div class="aitk-react-select-container">
                <div class="aitk-react-select__control" id="control">
                  <div class="value-container"><div class="single-value">Select...</div><input class="select-input" role="combobox"></div>
                  <div class="indicators"><svg width="10" height="10"><rect width="10" height="10"/></svg></div>
                </div>
              </div>
            </div>
            <div id="portal"></div>
            <script>
              const control = document.getElementById('control');
              control.addEventListener('mousedown', (event) => {
                event.preventDefault();
                if (document.querySelector('.menu')) return;
                const menu = document.createElement('div');
                menu.className = 'menu';
                menu.setAttribute('role', 'listbox');
                for (const name of ['cats', 'dogs', 'dogs and cats']) {
                  const option = document.createElement('div');
                  option.setAttribute('role', 'option');
                  option.textContent = name;
                  option.addEventListener('click', () => {
                    document.querySelector('.single-value').textContent = name;
                    log('chose:' + name);
                    menu.remove();
                  });
                  menu.appendChild(option);
                }
                setTimeout(() => document.getElementById('portal').appendChild(menu), 100);
              });
            </script>
            </body></html>
            """,
        "upload": """
            <!doctype html><html><body>
            \(logScript)
            <div class="dropzone" id="zone">
              <input type="file" multiple style="display:none" id="files"
                onchange="log('files:' + [...this.files].map(f => f.name + '/' + f.size).join(','))">
              <p>Drag images here</p>
            </div>
            </body></html>
            """,
        "shadow": """
            <!doctype html><html><body>
            \(logScript)
            <my-panel></my-panel>
            <script>
              customElements.define('my-panel', class extends HTMLElement {
                connectedCallback() {
                  const root = this.attachShadow({ mode: 'open' });
                  root.innerHTML = '<label for="inner">Shadow Name</label><input id="inner"><button class="deep">Shadow Button</button>';
                  root.querySelector('button').addEventListener('click', () => log('shadow-click:' + root.querySelector('input').value));
                }
              });
            </script>
            </body></html>
            """,
        "frame": """
            <!doctype html><html><body>
            <h1>Outer</h1>
            <iframe id="inner-frame" src="/pages/frame-inner" style="margin-top: 40px; width: 400px; height: 200px; border: 5px solid black"></iframe>
            </body></html>
            """,
        "cross-frame": """
            <!doctype html><html><body>
            \(logScript)
            <p id="got"></p>
            <script>window.addEventListener('message', (e) => { log(e.data); document.getElementById('got').textContent = e.data; });</script>
            <iframe id="other" src="http://localhost:{{PORT}}/pages/frame-inner" style="margin: 30px; border: 4px solid"></iframe>
            </body></html>
            """,
        "frame-inner": """
            <!doctype html><html><body>
            \(logScript)
            <label for="q">Query</label><input id="q">
            <button onclick="log('inner:' + document.getElementById('q').value); parent.postMessage('inner:' + document.getElementById('q').value, '*')">Search</button>
            </body></html>
            """,
        "overlay": """
            <!doctype html><html><head><style>
              .overlay { position: fixed; inset: 0; background: rgba(0,0,0,.4); }
            </style></head><body>
            \(logScript)
            <button onclick="log('clicked')">Covered</button>
            <div class="overlay"></div>
            </body></html>
            """,
        "delayed": """
            <!doctype html><html><body>
            \(logScript)
            <button id="late" disabled onclick="log('late')">Start Training</button>
            <div id="appear"></div>
            <script>
              setTimeout(() => { document.getElementById('late').disabled = false; }, 400);
              setTimeout(() => { document.getElementById('appear').innerHTML = '<span class="done">Ready now</span>'; }, 300);
            </script>
            </body></html>
            """,
        "late-navigation": """
            <!doctype html><html><body>
            <button onclick="setTimeout(() => { location.href = '/pages/jobs/456'; }, 500)">Leave soon</button>
            </body></html>
            """,
        "late-check": """
            <!doctype html><html><body>
            \(logScript)
            <label><input type="checkbox" onclick="event.preventDefault(); setTimeout(() => { this.checked = true; log('late:true'); }, 2500)"> Checked later</label>
            <label><input type="checkbox" onclick="event.preventDefault()"> Never checked</label>
            </body></html>
            """,
        "moving": """
            <!doctype html><html><body>
            \(logScript)
            <button id="mover" style="position: relative; left: 0" onclick="log('caught')">Moving</button>
            <script>
              let x = 0;
              const timer = setInterval(() => { x += 20; document.getElementById('mover').style.left = x + 'px'; }, 16);
              setTimeout(() => clearInterval(timer), 300);
            </script>
            </body></html>
            """,
        "jumping": """
            <!doctype html><html><body>
            \(logScript)
            <div id="decoy" style="position: absolute; left: 0; top: 0; width: 200px; height: 60px" onclick="log('decoy')">Decoy</div>
            <button id="jumper" style="position: absolute; left: 0; top: 0; width: 200px; height: 60px"
              onclick="log('caught')">Jumper</button>
            <script>
              // Still for every check, it leaves as the pointer arrives at its centre (Chromium may move a
              // pointer it never placed to the corner): the press lands on the decoy below.
              const jumper = document.getElementById('jumper');
              jumper.addEventListener('mousemove', function leave(event) {
                if (event.offsetX < 50) return;
                jumper.style.left = '300px';
                jumper.removeEventListener('mousemove', leave);
              });
            </script>
            </body></html>
            """,
        "buttons": """
            <!doctype html><html><body>
            \(logScript)
            <button id="target" onclick="log('click:' + [event.shiftKey, event.ctrlKey, event.altKey, event.metaKey].map(Number).join(''))"
              oncontextmenu="event.preventDefault(); log('contextmenu')" onauxclick="log('auxclick:' + event.button)">Target</button>
            </body></html>
            """,
        "react": """
            <!doctype html><html><body>
            \(logScript)
            <input id="controlled" aria-label="Job Name">
            <p id="mirror"></p>
            <script>
              // The value tracking React does: an input event only counts as a change when the DOM value
              // differs from the last value set through the property (which a naive script fill updates).
              const input = document.getElementById('controlled');
              const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
              let tracked = '';
              let state = '';
              Object.defineProperty(input, 'value', {
                configurable: true,
                get() { return native.get.call(this); },
                set(v) { tracked = String(v); native.set.call(this, v); },
              });
              input.addEventListener('input', () => {
                const actual = native.get.call(input);
                if (actual === tracked) return;
                tracked = actual;
                state = actual;
                input.value = state;
                document.getElementById('mirror').textContent = state;
                log('change:' + state);
              });
              input.addEventListener('keydown', (e) => log('key:' + e.key + (e.ctrlKey ? '+ctrl' : '') + (e.isTrusted ? '' : ':untrusted')));
            </script>
            </body></html>
            """,
        "positions": """
            <!doctype html><html><head><style>
              body { margin: 0; }
              #pad { position: absolute; left: 20px; top: 30px; width: 200px; height: 40px; background: #ddd; }
              #cover { position: absolute; left: 120px; top: 30px; width: 100px; height: 40px; background: rgba(0,0,0,.3); }
            </style></head><body>
            \(logScript)
            <div id="pad" onclick="log('click:' + event.offsetX + ',' + event.offsetY)"
              ondblclick="log('dblclick:' + event.offsetX + ',' + event.offsetY)"
              onmousemove="log('move:' + event.offsetX + ',' + event.offsetY)">Pad</div>
            <div id="cover"></div>
            </body></html>
            """,
        "counting": """
            <!doctype html><html><head><title></title></head><body>
            <div id="list"></div>
            <script>
              let added = 0;
              const timer = setInterval(() => {
                const item = document.createElement('div');
                item.className = 'item';
                item.textContent = 'Item ' + (++added);
                document.getElementById('list').appendChild(item);
                if (added === 5) { clearInterval(timer); window.ready = 'yes'; }
              }, 60);
            </script>
            </body></html>
            """,
        "roles": """
            <!doctype html><html><body>
            <h1>Title</h1><h2>Second</h2><div role="heading" aria-level="4">Aria four</div>
            <label><input type="checkbox" id="on" checked> Alpha</label>
            <label><input type="checkbox" id="off"> Beta</label>
            <button disabled>Off</button>
            <button aria-pressed="true">Bold</button><button aria-pressed="false">Italic</button>
            <button aria-expanded="true">Menu</button><button aria-expanded="false">More</button>
            <div role="tablist"><div role="tab" aria-selected="true">One</div><div role="tab" aria-selected="false">Two</div></div>
            </body></html>
            """,
        "network": """
            <!doctype html><html><body>
            \(logScript)
            <button onclick="fetch('/api/items').then(r => r.json()).then(j => log('items:' + j.total))">Load</button>
            <button onclick="for (let i = 0; i < 3; i++) fetch('/api/items')">Load thrice</button>
            <button onclick="fetch('/api/items', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: 'alpha'})})">Create</button>
            <button onclick="setTimeout(() => fetch('/api/slow'), 200)">Slow</button>
            <button onclick="window.denied = fetch('/api/denied').then(r => { log('status:' + r.status); return r.body.cancel(); }).then(() => new Promise(done => setTimeout(done, 300)))">Denied</button>
            <button onclick="fetch('/api/items/42', {method: 'DELETE'}).then(r => log('deleted:' + r.status))">Delete</button>
            <button onclick="const s = new EventSource('/events'); s.addEventListener('progress', e => log('sse:' + e.data)); window.source = s">Listen</button>
            <button onclick="fetch('/events').then(async r => { const reader = r.body.getReader(); for (;;) { const {done} = await reader.read(); if (done) break; } })">Stream</button>
            <button onclick="const w = new WebSocket('ws://' + location.host + '/ws'); w.onopen = () => w.send('hello'); w.onmessage = e => log(e.data)">Socket</button>
            <a href="/download/report.csv">Report</a>
            <a href="/download/report.csv" target="_blank">Report in a new tab</a>
            </body></html>
            """,
    ]
}
