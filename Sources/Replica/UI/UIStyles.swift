/// The stylesheet: the real UI's dark Tailwind look (gray-950 page, gray-900 cards), written by hand.
/// The shell and top bars, whose sizes decide what a flow can see at each window size, are in
/// `UILayoutStyles`. Inter comes first because the real UI loads it (`app/layout.tsx`, next/font).
enum UIStyles {
    static let css = #"""
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: #030712; color: #e5e7eb; font: 14px/1.5 Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: inherit; text-decoration: none; }
h1, h2, h3 { margin: 0; font-weight: 600; }
.muted { color: #9ca3af; }
[hidden] { display: none !important; }

.sidebar-brand { display: flex; align-items: center; gap: 10px; padding: 16px; font-weight: 600; color: #f9fafb; }
.nav { display: flex; flex-direction: column; padding: 8px; gap: 2px; }
.nav-link { display: flex; align-items: center; gap: 10px; padding: 8px 12px; border-radius: 6px; color: #d1d5db; }
.nav-link:hover { background: #1f2937; color: #fff; }
.nav-link.active { background: #1f2937; color: #fff; }
.sidebar-footer { margin-top: auto; padding: 12px 16px; font-size: 12px; color: #6b7280; }

.page-body { display: flex; flex-direction: column; gap: 16px; }

.btn { display: inline-flex; align-items: center; justify-content: center; gap: 6px; padding: 7px 14px; border-radius: 6px; border: 1px solid transparent; font: inherit; font-weight: 500; cursor: pointer; color: #fff; }
.btn:disabled { opacity: .5; cursor: not-allowed; }
.btn-primary { background: #2563eb; } .btn-primary:hover:not(:disabled) { background: #1d4ed8; }
.btn-green { background: #16a34a; } .btn-green:hover:not(:disabled) { background: #15803d; }
.btn-danger { background: #dc2626; } .btn-danger:hover:not(:disabled) { background: #b91c1c; }
.btn-secondary { background: #374151; border-color: #4b5563; } .btn-secondary:hover:not(:disabled) { background: #4b5563; }
.btn-small { padding: 3px 10px; font-size: 12px; }
.btn-wide { width: 100%; }
.icon-btn { display: inline-flex; align-items: center; justify-content: center; width: 30px; height: 30px; padding: 0; border: 0; border-radius: 6px; background: #1f2937; color: #d1d5db; cursor: pointer; }
.icon-btn:hover { background: #374151; color: #fff; }
.icon-btn-danger:hover { background: #7f1d1d; color: #fecaca; }
.action-bar { display: flex; gap: 4px; }
.link { color: #60a5fa; } .link:hover { text-decoration: underline; }

.card { background: #111827; border: 1px solid #1f2937; border-radius: 8px; padding: 16px; }
.card-title { font-size: 15px; margin-bottom: 12px; color: #f3f4f6; }
.card-body { display: flex; flex-direction: column; gap: 12px; }
.card-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 16px; margin-bottom: 16px; }
.field { display: flex; flex-direction: column; gap: 4px; }
.field-label { font-size: 13px; color: #d1d5db; font-weight: 500; }
.text-input { width: 100%; padding: 7px 10px; border-radius: 6px; border: 1px solid #374151; background: #1f2937; color: #f3f4f6; font: inherit; }
.text-input:focus { outline: 2px solid #2563eb; outline-offset: -1px; }
.text-input:disabled { opacity: .6; }

.table { width: 100%; border-collapse: collapse; background: #111827; border: 1px solid #1f2937; border-radius: 8px; overflow: hidden; }
.table th { text-align: left; font-weight: 500; color: #9ca3af; background: #1f2937; padding: 8px 12px; font-size: 13px; }
.table td { padding: 8px 12px; border-top: 1px solid #1f2937; vertical-align: middle; }
.col-actions { width: 1%; white-space: nowrap; text-align: right; }
.col-info { color: #9ca3af; max-width: 320px; }
.empty { display: flex; flex-direction: column; align-items: center; gap: 10px; padding: 48px; color: #9ca3af; background: #111827; border: 1px dashed #374151; border-radius: 8px; }

.status-pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 12px; font-weight: 500; background: #374151; color: #e5e7eb; }
.status-running { background: #1e3a8a; color: #bfdbfe; }
.status-queued { background: #713f12; color: #fef08a; }
.status-completed { background: #14532d; color: #bbf7d0; }
.status-error { background: #7f1d1d; color: #fecaca; }
.status-stopping { background: #7c2d12; color: #fed7aa; }

.modal-overlay { position: fixed; inset: 0; z-index: 50; background: rgba(0,0,0,.6); display: flex; align-items: center; justify-content: center; }
.modal-panel { width: min(480px, 92vw); background: #111827; border: 1px solid #374151; border-radius: 10px; padding: 20px; box-shadow: 0 20px 40px rgba(0,0,0,.5); }
.modal-title { font-size: 16px; margin-bottom: 8px; color: #f9fafb; }
.modal-message { margin: 0 0 12px; color: #d1d5db; }
.modal-input { margin-bottom: 12px; }
.modal-buttons { display: flex; gap: 8px; justify-content: flex-end; margin-top: 12px; }
.drop-zone { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 32px; border: 2px dashed #4b5563; border-radius: 8px; cursor: pointer; color: #9ca3af; text-align: center; }
.drop-zone:hover, .drop-zone.drag-over { border-color: #2563eb; color: #e5e7eb; }
.drop-zone p { margin: 0; }
.upload-progress { margin-top: 12px; color: #93c5fd; }
.menu-popover { position: absolute; z-index: 40; width: 180px; background: #1f2937; border: 1px solid #374151; border-radius: 8px; padding: 4px; display: flex; flex-direction: column; box-shadow: 0 10px 24px rgba(0,0,0,.5); }
.menu-popover button { text-align: left; background: none; border: 0; color: #e5e7eb; padding: 7px 10px; border-radius: 4px; font: inherit; cursor: pointer; }
.menu-popover button:hover { background: #374151; }

.aitk-react-select-container { position: relative; }
.aitk-react-select__control { display: flex; align-items: center; min-height: 36px; border: 1px solid #374151; border-radius: 6px; background: #1f2937; cursor: pointer; }
.aitk-react-select__control--menu-is-open { border-color: #2563eb; }
.aitk-react-select__value-container { flex: 1; display: grid; padding: 2px 10px; }
.aitk-react-select__single-value, .aitk-react-select__input { grid-area: 1 / 1; }
.aitk-react-select__single-value { color: #f3f4f6; pointer-events: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.aitk-react-select__placeholder { color: #6b7280; }
.aitk-react-select__input { background: transparent; border: 0; outline: 0; color: #f3f4f6; font: inherit; padding: 0; min-width: 2px; }
.aitk-react-select__indicators { padding: 0 8px; color: #9ca3af; display: flex; }
.aitk-react-select__menu { position: absolute; top: calc(100% + 4px); left: 0; right: 0; z-index: 30; background: #1f2937; border: 1px solid #374151; border-radius: 6px; box-shadow: 0 10px 24px rgba(0,0,0,.5); }
.aitk-react-select__menu-list { max-height: 240px; overflow: auto; padding: 4px 0; }
.aitk-react-select__option { padding: 7px 12px; cursor: pointer; }
.aitk-react-select__option--is-focused { background: #374151; }
.aitk-react-select__option--is-selected { background: #2563eb; color: #fff; }
.aitk-react-select__menu-notice { padding: 7px 12px; color: #9ca3af; }
fieldset:disabled .aitk-react-select__control { opacity: .6; cursor: not-allowed; }

.form-wrap { position: relative; }
.job-form { border: 0; padding: 0; margin: 0; min-width: 0; }
.loading-overlay { position: absolute; inset: 0; z-index: 20; display: flex; align-items: center; justify-content: center; background: rgba(3,7,18,.7); font-size: 16px; color: #e5e7eb; border-radius: 8px; }
.prompt-list { display: flex; flex-direction: column; gap: 8px; }
.prompt-row { display: flex; gap: 8px; align-items: center; }

.image-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
.image-card { display: flex; flex-direction: column; gap: 6px; background: #111827; border: 1px solid #1f2937; border-radius: 8px; padding: 8px; }
.image-frame { position: relative; aspect-ratio: 1; background: #030712; border-radius: 6px; overflow: hidden; }
.image-frame img { width: 100%; height: 100%; object-fit: contain; }
.image-delete { position: absolute; top: 6px; right: 6px; }
.image-name { font-size: 12px; color: #9ca3af; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.caption { width: 100%; resize: vertical; background: #1f2937; color: #e5e7eb; border: 1px solid #374151; border-radius: 6px; padding: 6px; font: inherit; font-size: 12px; }

.tabs { display: flex; gap: 4px; border-bottom: 1px solid #1f2937; margin-bottom: 16px; }
.tab { background: none; border: 0; border-bottom: 2px solid transparent; color: #9ca3af; padding: 8px 14px; font: inherit; cursor: pointer; }
.tab.active { color: #f9fafb; border-bottom-color: #2563eb; }
.overview { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 16px; }
.overview-main, .overview-side { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
.status-line { display: flex; align-items: center; gap: 10px; }
.progress-label { display: flex; justify-content: space-between; font-size: 13px; color: #d1d5db; }
.progress { height: 8px; background: #1f2937; border-radius: 999px; overflow: hidden; }
.progress-bar { height: 100%; background: #2563eb; transition: width .3s; }
.log, .config { margin: 0; max-height: 420px; overflow: auto; background: #030712; border: 1px solid #1f2937; border-radius: 6px; padding: 10px; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; word-break: break-all; color: #d1d5db; }
.config { max-height: none; }
.checkpoints { display: flex; flex-direction: column; gap: 6px; }
.checkpoint-row { display: flex; align-items: center; gap: 8px; padding: 6px 8px; border-radius: 6px; background: #1f2937; }
.checkpoint-row:hover { background: #374151; }
.checkpoint-name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 13px; }
.checkpoint-size { color: #9ca3af; font-size: 12px; }
.loss-graph { width: 100%; height: auto; }

.queue-section { display: flex; flex-direction: column; gap: 8px; }
.queue-header { display: flex; align-items: center; gap: 12px; }
.queue-title { font-size: 15px; }
.queue-state { font-size: 13px; }
.queue-running { color: #4ade80; } .queue-stopped { color: #fbbf24; }

.dashboard .gpu-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
.gpu-card { background: #1f2937; border-radius: 8px; padding: 12px; display: flex; flex-direction: column; gap: 4px; }
.gpu-name { display: flex; align-items: center; gap: 6px; font-weight: 500; margin-bottom: 4px; }
.stat-row { display: flex; justify-content: space-between; font-size: 13px; }
.settings-form { display: flex; flex-direction: column; gap: 14px; max-width: 640px; }
.form-actions { display: flex; }

.login-page { min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #030712; }
.login-box { width: min(400px, 92vw); background: #111827; border: 1px solid #1f2937; border-radius: 12px; padding: 28px; }
.login-brand { display: flex; flex-direction: column; align-items: center; gap: 10px; margin-bottom: 20px; }
.login-brand h1 { font-size: 22px; color: #f9fafb; }
.login-form { display: flex; flex-direction: column; gap: 8px; }
.login-help { margin: 0 0 6px; font-size: 12px; color: #9ca3af; }
.login-error { color: #f87171; font-size: 13px; }
"""#
}
