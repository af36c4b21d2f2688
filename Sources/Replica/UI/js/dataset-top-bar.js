/// The dataset page's bar as app/datasets/[datasetName]/page.tsx builds it. From 2026-08 the title box
/// is "min-w-0 flex-shrink" beside a "flex-shrink-0" cluster (caption extension, Auto Caption, Add Images,
/// the DatasetActionBar cog), so in a narrow main area the title, not the cluster, gives way, down to
/// 0 px; below 640 px "Dataset: " and the long button names are hidden. The 2025-10 bar is back button,
/// a plain "text-lg" title and Add Images, none of which shrinks (c9843692 had no Auto Caption).
function datasetTopBar(name, captionExt, autoCaption, addImages) {
  const back = h('button', { type: 'button', class: 'top-bar-back', onClick: () => history.back() }, icon('chevron-left', 16));
  const autoCaptionButton = h('button', { type: 'button', class: 'btn btn-secondary tb-btn auto-caption', onClick: autoCaption }, ...smLabel('Caption', 'Auto Caption'));
  const addButton = h('button', { type: 'button', class: 'btn btn-primary tb-btn', onClick: addImages }, ...smLabel('+ Add', 'Add Images'));
  if (OLD_UI) {
    return topBar(h('div', {}, back), h('div', {}, h('h1', { class: 'page-title' }, `Dataset: ${name}`)), h('div', { class: 'flex-1' }),
      h('div', { class: 'top-bar-cluster' }, addButton));
  }
  const cogButton = h('button', { type: 'button', class: 'dataset-cog', onClick: () => openDatasetMenu(cogButton, name) }, icon('settings', 24));
  const cog = h('div', { class: 'flex-shrink-0' }, cogButton);
  return topBar(
    h('div', { class: 'flex-shrink-0' }, back),
    h('div', { class: 'min-w-0 flex-shrink' }, h('h1', { class: 'page-title truncate' }, h('span', { class: 'hidden sm:inline' }, 'Dataset: '), name)),
    h('div', { class: 'flex-1' }),
    h('div', { class: 'top-bar-cluster' },
      h('div', { class: 'caption-ext' }, h('label', { class: 'caption-ext-label hidden sm:inline' }, 'Caption ext'), h('div', { class: 'w-44' }, captionExt.element)),
      autoCaptionButton, addButton, cog));
}

/// DatasetActionBar.tsx's menu: POST /api/zip, then download the archive from /api/files with a
/// cache-buster, because the archive is rebuilt at the same path every time.
function openDatasetMenu(anchor, name) {
  document.querySelectorAll('.menu-popover').forEach((el) => el.remove());
  const zip = (zipTarget) => async () => {
    menu.remove();
    try {
      const answer = await api('POST', '/api/zip', { zipTarget, datasetName: name });
      if (!answer || !answer.zipPath) return;
      const link = h('a', { href: `${fileURL(answer.zipPath)}?v=${Date.now()}`, download: answer.fileName || `${name}.zip` });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (_) { /* the real bar only logs it */ }
  };
  const menu = h('div', { class: 'menu-popover', role: 'menu' },
    h('button', { type: 'button', role: 'menuitem', onClick: zip('dataset') }, 'Download Full Dataset'),
    h('button', { type: 'button', role: 'menuitem', onClick: zip('dataset_captions') }, 'Download Captions'));
  openPopover(anchor, menu);
}
