/// The shell (sidebar + main) and the top bars, laid out as the real components' Tailwind 3 classes
/// lay them out at Tailwind's breakpoints (sm 640, md 768; lg and xl change nothing on these pages).
/// A flow can only see what has a box, so these sizes decide which steps pass at which window size:
/// on the real dataset page the title shrinks to 0 px wide while the sidebar is shown and the window
/// is under ~840 px, and below 640 px several buttons carry other names.
///
/// `.responsive` (on `.app`) marks the 2026-08 UI: the real UI became mobile friendly on 2026-05-19
/// (df851b34). The 2025-10 UI has none of it: its sidebar is always shown, its top bars neither
/// scroll nor shrink their titles, and its buttons have one name.
///
/// The Tailwind-named helpers (`hidden`, `sm:inline`, `sm:hidden`, `md:hidden`, `min-w-0`,
/// `flex-shrink`, `flex-1`, `truncate`) carry the real class names, so a CSS locator written against
/// the real markup matches here too. They come last so that, as in Tailwind's output, a breakpoint
/// variant wins over a plain class of the same specificity.
enum UILayoutStyles {
    static let css = #"""

/* app/layout.tsx: <div class="flex h-screen"> <Sidebar/> <main class="flex-1 overflow-auto relative">.
   A scroll container's automatic minimum width is 0, hence min-width: 0. */
.app { display: flex; height: 100vh; }
.main { flex: 1 1 0%; min-width: 0; overflow: auto; position: relative; padding: 0 16px 16px; }

/* components/Sidebar.tsx: the desktop copy is "hidden md:flex flex-col w-59". w-59 is not in
   Tailwind 3's spacing scale, so it sets no width: the sidebar is as wide as its widest line,
   the "Support AI-Toolkit" link (about 220 px in Inter), and it may shrink as any flex item. */
.sidebar { width: auto; background: #111827; border-right: 1px solid #1f2937; display: flex; flex-direction: column; }
/* Sidebar.tsx: "group flex items-center space-x-2 px-4 py-3", span "uppercase text-sm font-medium tracking-wide". */
.sidebar-support { display: flex; align-items: center; gap: 8px; padding: 12px 16px; color: #9ca3af; white-space: nowrap; }
.sidebar-support:hover { color: #e5e7eb; }
.sidebar-support svg { color: #c0392b; fill: #c0392b; flex-shrink: 0; }
.sidebar-support span { text-transform: uppercase; font-size: 14px; line-height: 20px; font-weight: 500; letter-spacing: .025em; }
/* The close button ("md:hidden ... p-1") and the backdrop ("md:hidden fixed inset-0 bg-black/60 z-40")
   exist only in the mobile sidebar. */
.sidebar-close { display: none; margin-left: auto; padding: 4px; background: none; border: 0; color: #9ca3af; cursor: pointer; }
.sidebar-backdrop { display: none; }

/* components/layout.tsx TopBar: "absolute top-0 left-0 w-full h-12 bg-gray-900 shadow-sm z-10 flex
   items-center px-2 overflow-x-auto whitespace-nowrap". Sticky with negative margins spans the same
   width as the real absolute bar (main's padding box). No gap: the children bring their own margins,
   and the "flex-1" spacer pushes the button cluster right. */
.top-bar { position: sticky; top: 0; z-index: 10; height: 48px; display: flex; align-items: center; padding: 0 8px; margin: 0 -16px 8px; background: #111827; box-shadow: 0 1px 2px rgba(0,0,0,.3); overflow-x: auto; white-space: nowrap; }
/* The titles: "text-base sm:text-lg"; Tailwind's preflight makes an <h1> inherit its weight (normal). */
.page-title { font-size: 18px; line-height: 28px; font-weight: 400; color: #f9fafb; }
.top-bar-actions { display: flex; gap: 8px; align-items: center; }
/* [datasetName]/page.tsx: the right cluster is "flex-shrink-0 flex items-center gap-1 sm:gap-2", so
   it never gives way; the title box beside it is "min-w-0 flex-shrink", so it does, down to 0 px. */
.top-bar-cluster { display: flex; align-items: center; gap: 8px; flex-shrink: 0; }
.caption-ext { display: flex; align-items: center; gap: 4px; }
.caption-ext-label { font-size: 12px; line-height: 16px; color: #9ca3af; white-space: nowrap; }
.w-44 { width: 176px; flex-shrink: 0; }
/* Top-bar buttons: "px-2 sm:px-3 py-1 rounded-md text-sm sm:text-base whitespace-nowrap". */
.tb-btn { padding: 4px 12px; font-size: 16px; line-height: 24px; border-radius: 6px; white-space: nowrap; }
.auto-caption { margin-right: 8px; }
/* The back button: a headless Button "px-2 sm:px-3 mt-1" around a 1em FaChevronLeft. */
.top-bar-back { display: inline-flex; padding: 0 12px; margin-top: 4px; background: none; border: 0; color: #d1d5db; cursor: pointer; }
/* components/DatasetActionBar.tsx (2026-08-12): MenuButton "ml-1 sm:ml-2", Cog "w-5 h-5 sm:w-6 sm:h-6". */
.dataset-cog { display: inline-flex; margin-left: 8px; padding: 0; background: none; border: 0; color: #e5e7eb; cursor: pointer; }
.dataset-cog svg { width: 24px; height: 24px; }
/* components/layout.tsx MobileMenuButton: "md:hidden flex items-center ml-2 mr-1 px-1 py-1 rounded-md"
   around ThemeLogo ("w-auto h-7 mr-3 inline"). */
.mobile-menu-button { display: flex; align-items: center; margin: 0 4px 0 8px; padding: 4px; border: 0; border-radius: 6px; background: none; cursor: pointer; }
.mobile-menu-button img { height: 28px; width: auto; margin-right: 12px; }

/* The 2025-10 TopBar: "absolute ... h-12 flex items-center px-2", no overflow-x-auto, no nowrap; its
   MainContent is "pt-14 px-4" at every width. */
.app:not(.responsive) .top-bar { overflow: visible; white-space: normal; }

/* Below sm (640 px), 2026-08 only: MainContent "px-2", the small title and button sizes, the smaller
   gaps and margins of the dataset cluster, and app/jobs/new/page.tsx's "max-w-[120px] sm:max-w-none". */
@media (max-width: 639.98px) {
  .responsive .main { padding: 0 8px 8px; }
  .responsive .top-bar { margin: 0 -8px 8px; }
  .responsive .page-title { font-size: 16px; line-height: 24px; }
  .responsive .new-job-title { max-width: 120px; }
  .responsive .tb-btn { padding: 4px 8px; font-size: 14px; line-height: 20px; }
  .responsive .top-bar-cluster { gap: 4px; }
  .responsive .auto-caption { margin-right: 4px; }
  .responsive .top-bar-back { padding: 0 8px; }
  .responsive .dataset-cog { margin-left: 4px; }
  .responsive .dataset-cog svg { width: 20px; height: 20px; }
}

/* Below md (768 px), 2026-08 only: the desktop sidebar is gone ("hidden md:flex"); the mobile copy,
   "md:hidden fixed top-0 left-0 bottom-0 w-64 max-w-[85vw] z-50 ... -translate-x-full", waits off
   screen until the top bar's menu button opens it. The real UI renders the sidebar twice; one copy
   moved off screen is the same thing to a locator (a box, no display:none). */
@media (max-width: 767.98px) {
  .responsive .sidebar { position: fixed; top: 0; left: 0; bottom: 0; width: 256px; max-width: 85vw; z-index: 50; transform: translateX(-100%); transition: transform .3s ease-in-out; box-shadow: 0 20px 25px rgba(0,0,0,.5); }
  .mobile-sidebar-open .responsive .sidebar { transform: none; }
  .responsive .sidebar-close { display: inline-flex; }
  .responsive .sidebar-backdrop { display: block; position: fixed; inset: 0; z-index: 40; background: rgba(0,0,0,.6); opacity: 0; pointer-events: none; transition: opacity .3s ease-in-out; }
  .mobile-sidebar-open .responsive .sidebar-backdrop { opacity: 1; pointer-events: auto; }
}

/* Tailwind's own utilities, under their real names (see the type's comment). */
.hidden { display: none; }
.min-w-0 { min-width: 0; }
.flex-shrink { flex-shrink: 1; }
.flex-shrink-0 { flex-shrink: 0; }
.flex-1 { flex: 1 1 0%; }
.truncate { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
@media (min-width: 640px) {
  .sm\:hidden { display: none; }
  .sm\:inline { display: inline; }
}
@media (min-width: 768px) {
  .md\:hidden { display: none; }
}
"""#
}
