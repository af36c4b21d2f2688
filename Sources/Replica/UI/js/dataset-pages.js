route(/^\/datasets$/, (main, scope) => {
  const body = h('div', { class: 'page-body' }, h('p', { class: 'muted' }, 'Loading...'));
  const refresh = async () => {
    let names = [];
    try { names = (await api('GET', '/api/datasets/list')) || []; } catch (error) { if (error.status === 401) return; }
    if (!scope.alive) return;
    if (names.length === 0) {
      body.replaceChildren(h('div', { class: 'empty' }, h('p', {}, 'Empty'), h('button', { type: 'button', class: 'btn btn-secondary', onClick: refresh }, 'Refresh')));
      return;
    }
    body.replaceChildren(h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Dataset Name'), h('th', { class: 'col-actions' }, 'Actions'))),
      h('tbody', {}, names.map((name) => h('tr', {},
        h('td', {}, h('a', { href: `/datasets/${encodeURIComponent(name)}`, class: 'link' }, name)),
        h('td', { class: 'col-actions' }, iconButton('trash-2', () => openConfirm({
          title: 'Delete Dataset',
          message: `Are you sure you want to delete the dataset "${name}"? This action cannot be undone.`,
          confirmText: 'Delete', type: 'warning',
          onConfirm: async () => { await api('POST', '/api/datasets/delete', { name }).catch(() => {}); refresh(); },
        }), 'icon-btn-danger')))))));
  };
  const newDataset = () => openConfirm({
    title: 'New Dataset',
    message: 'Enter the name of the new dataset:',
    inputTitle: 'Dataset Name',
    confirmText: 'Create',
    onConfirm: async (name) => {
      if (!name || !name.trim()) return;
      try {
        const answer = await api('POST', '/api/datasets/create', { name: name.trim() });
        navigate(`/datasets/${encodeURIComponent(answer.name)}`);
      } catch (error) {
        if (error.status !== 401) alert('Failed to create dataset');
      }
    },
  });
  main.append(pageHeader('Datasets', h('button', { type: 'button', class: 'btn btn-primary tb-btn', onClick: newDataset }, ...smLabel('+ New', 'New Dataset'))), body);
  refresh();
});

route(/^\/datasets\/([^/]+)$/, (main, scope, name) => {
  let settings = null;
  const grid = h('div', { class: 'page-body' }, h('p', { class: 'muted' }, 'Loading...'));
  const captionJob = h('div', { class: 'muted caption-job', hidden: true });

  async function listImages() {
    const answer = await api('POST', '/api/datasets/listImages', { datasetName: name });
    const paths = OLD_UI
      ? ((answer && answer.images) || []).map((image) => image.img_path).sort((a, b) => a.localeCompare(b))
      : ((answer && answer.images) || []).map((sub) => (answer.root || '') + sub);
    if (!scope.alive) return;
    if (paths.length === 0) { grid.replaceChildren(h('div', { class: 'empty' }, h('p', {}, 'No Images Found'))); return; }
    const captions = {};
    const areas = new Map();
    // c9843692's DatasetImageCard asks for its own caption (POST /api/caption/get) once it scrolls into
    // view, and saves it trimmed; later pages ask for all of them at once (/api/caption/getBatch).
    const inView = OLD_UI ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        inView.unobserve(entry.target);
        const path = entry.target.dataset.path;
        api('POST', '/api/caption/get', { imgPath: path }).then((text) => {
          captions[path] = text || '';
          const area = areas.get(path);
          if (area && document.activeElement !== area) area.value = captions[path];
        }).catch(() => {});
      }
    }) : null;
    if (inView) scope.onDispose(() => inView.disconnect());
    grid.replaceChildren(h('div', { class: 'image-grid' }, paths.map((path) => {
      const area = h('textarea', { class: 'caption', rows: 3, placeholder: 'Enter caption', 'data-path': path });
      area.addEventListener('blur', () => {
        const caption = OLD_UI ? area.value.trim() : area.value;
        if (caption === (captions[path] || '')) return;
        captions[path] = caption;
        api('POST', '/api/img/caption', { imgPath: path, caption }).catch(() => {});
      });
      if (inView) inView.observe(area);
      areas.set(path, area);
      return h('div', { class: 'image-card' },
        h('div', { class: 'image-frame' },
          h('img', { src: imgURL(path, true), alt: basename(path), loading: 'lazy' }),
          iconButton('trash-2', () => openConfirm({
            title: 'Delete Image', message: `Are you sure you want to delete "${basename(path)}"?`, confirmText: 'Delete', type: 'warning',
            onConfirm: async () => { await api('POST', '/api/img/delete', { imgPath: path }).catch(() => {}); listImages(); },
          }), 'image-delete icon-btn-danger')),
        h('div', { class: 'image-name' }, basename(path)),
        area);
    })));
    if (OLD_UI) return;
    try {
      const batch = await api('POST', '/api/caption/getBatch', { imgPaths: paths });
      Object.assign(captions, (batch && batch.captions) || {});
      for (const [path, area] of areas) if (document.activeElement !== area) area.value = captions[path] || '';
    } catch (_) { /* captions stay empty */ }
  }

  // The real CreatableSelectInput "w-44" beside the caption buttons; Auto Caption writes this extension.
  const captionExt = customSelect({ options: ['txt', 'json', 'caption'].map((ext) => ({ value: ext, label: ext })), value: 'txt', onChange: () => {} });
  function datasetPath() { return `${(settings && settings.DATASETS_FOLDER) || ''}/${name}`; }
  async function watchCaptionJobs() {
    if (!settings) return;
    // As hooks/useJobByRef.tsx: the ref goes in unencoded, and the answer is one job (the latest) or null.
    const job = await api('GET', `/api/jobs?job_ref=${datasetPath()}`);
    const running = job && ['running', 'queued', 'stopping'].includes(job.status) ? job : null;
    captionJob.hidden = !running;
    if (running) captionJob.textContent = `Captioning: ${running.info || running.status} (${running.step || 0} / ${running.total_steps || '?'})`;
  }

  function addImages() {
    const progress = h('div', { class: 'upload-progress', hidden: true });
    const fileInput = h('input', { type: 'file', multiple: true, accept: 'image/*,video/*,.txt', hidden: true });
    // c9843692's AddImagesModal: "…here, or click to select files", a Done and a Cancel button.
    const zone = h('div', { class: 'drop-zone', onClick: () => fileInput.click() }, icon('image-plus', 32),
      h('p', {}, OLD_UI ? 'Drag & drop files here, or click to select files' : 'Drag & drop files here or click to select'));
    const finish = () => { modal.close(); if (scope.alive) listImages(); };
    const modal = openModal(`Add Images to: ${name}`, h('div', {}, zone, fileInput, progress,
      h('div', { class: 'modal-buttons' },
        OLD_UI ? h('button', { type: 'button', class: 'btn btn-primary', onClick: finish }, 'Done') : null,
        h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => modal.close() }, 'Cancel'))));
    async function upload(files) {
      if (files.length === 0) return;
      let done = 0;
      const showProgress = () => { progress.hidden = false; progress.textContent = OLD_UI ? `Uploading... ${Math.round((done * 100) / files.length)}%` : `Uploading… ${done} / ${files.length}`; };
      showProgress();
      const send = (batch) => {
        const form = new FormData();
        for (const file of batch) form.append('files', file);
        form.append('datasetName', name);
        return api('POST', '/api/datasets/upload', form);
      };
      try {
        if (OLD_UI) {
          await send(files);
          done = files.length;
        } else {
          // One request per file, at most three in flight.
          let next = 0;
          const worker = async () => {
            while (next < files.length) {
              const file = files[next++];
              await send([file]);
              done++;
              showProgress();
            }
          };
          await Promise.all([worker(), worker(), worker()]);
        }
      } catch (error) {
        if (error.status === 401) return;
        // c9843692 only logs it, and the modal stays open.
        if (OLD_UI) { console.error('Upload failed:', error); progress.hidden = true; return; }
        alert(`Upload failed: ${error.message}`);
      }
      modal.close();
      if (scope.alive) listImages();
    }
    fileInput.addEventListener('change', () => upload([...fileInput.files]));
    zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('drag-over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('drag-over'));
    zone.addEventListener('drop', (event) => { event.preventDefault(); zone.classList.remove('drag-over'); upload([...event.dataTransfer.files]); });
  }

  function autoCaption() {
    openConfirm({
      title: 'Auto Caption',
      message: `Caption every image in "${name}" that has no caption yet?`,
      confirmText: 'Start',
      onConfirm: async () => {
        try {
          const job = await api('POST', '/api/jobs', {
            id: null, name: `caption_${name}_${Date.now()}`, gpu_ids: '0', job_type: 'caption', job_ref: datasetPath(),
            job_config: { job: 'caption', config: { dataset_path: datasetPath(), caption_ext: captionExt.value || 'txt', recaption: false } },
          });
          await api('GET', `/api/jobs/${job.id}/start`);
          watchCaptionJobs();
        } catch (error) { if (error.status !== 401) alert(`Auto caption failed: ${error.message}`); }
      },
    });
  }

  main.append(datasetTopBar(name, captionExt, autoCaption, addImages), captionJob, grid);

  // Auto Caption and its job came after c9843692, which asked for nothing but the image list here.
  if (!OLD_UI) api('GET', '/api/settings').then((answer) => {
    settings = answer || {};
    poll(scope, 5000, watchCaptionJobs);
    poll(scope, 3000, watchCaptionJobs);
  }).catch(() => {});
  listImages().catch((error) => {
    if (error.status === 401 || !scope.alive) return;
    grid.replaceChildren(h('div', { class: 'empty' }, h('p', {}, (error.body && error.body.error) || 'Failed to load images')));
  });
});
