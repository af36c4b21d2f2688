const ARCHITECTURES = [
  { value: 'flex1', label: 'Flex.1', path: 'ostris/Flex.1-alpha' },
  { value: 'flux', label: 'FLUX.1', path: 'black-forest-labs/FLUX.1-dev' },
  { value: 'flux_kontext', label: 'FLUX.1-Kontext-dev', path: 'black-forest-labs/FLUX.1-Kontext-dev' },
  { value: 'sdxl', label: 'SDXL', path: 'stabilityai/stable-diffusion-xl-base-1.0' },
  { value: 'sd15', label: 'SD 1.5', path: 'stable-diffusion-v1-5/stable-diffusion-v1-5' },
  { value: 'wan21:1b', label: 'Wan 2.1 (1.3B)', path: 'Wan-AI/Wan2.1-T2V-1.3B-Diffusers' },
];
const DEFAULT_PROMPTS = [
  'woman with red hair, playing chess at the park, bomb going off in the background',
  'a woman holding a coffee cup, in a beanie, sitting at a cafe',
];

function defaultJobConfig() {
  return {
    job: 'extension',
    config: {
      name: 'my_first_lora_v1',
      process: [{
        type: 'diffusion_trainer', training_folder: 'output', sqlite_db_path: './aitk_db.db', device: 'cuda',
        trigger_word: null, performance_log_every: 10,
        network: { type: 'lora', linear: 32, linear_alpha: 32, conv: 16, conv_alpha: 16, lokr_full_rank: true, lokr_factor: -1, network_kwargs: { ignore_if_contains: [] } },
        save: { dtype: 'bf16', save_every: 250, max_step_saves_to_keep: 4, save_format: 'diffusers', push_to_hub: false },
        datasets: [{ folder_path: '', control_path: null, mask_path: null, mask_min_value: 0.1, default_caption: '', caption_ext: 'txt',
          caption_dropout_rate: 0.05, cache_latents_to_disk: false, is_reg: false, network_weight: 1, resolution: [512, 768, 1024] }],
        train: { batch_size: 1, steps: 3000, gradient_accumulation: 1, train_unet: true, train_text_encoder: false, gradient_checkpointing: true,
          noise_scheduler: 'flowmatch', optimizer: 'adamw8bit', timestep_type: 'sigmoid', content_or_style: 'balanced',
          optimizer_params: { weight_decay: 0.0001 }, lr: 0.0001, ema_config: { use_ema: false, ema_decay: 0.99 }, dtype: 'bf16' },
        model: { name_or_path: 'ostris/Flex.1-alpha', arch: 'flex1', quantize: true, qtype: 'qfloat8', quantize_te: true, qtype_te: 'qfloat8', low_vram: false, model_kwargs: {} },
        sample: { sampler: 'flowmatch', sample_every: 250, width: 1024, height: 1024, samples: DEFAULT_PROMPTS.map((prompt) => ({ prompt })),
          neg: '', seed: 42, walk_seed: true, guidance_scale: 4, sample_steps: 25 },
      }],
    },
    meta: { name: '[name]', version: '1.0' },
  };
}

route(/^\/jobs\/new$/, (main, scope) => {
  const query = new URLSearchParams(location.search);
  const editId = query.get('id');
  const cloneId = query.get('cloneId');
  let baseConfig = defaultJobConfig();
  let settings = null;
  let datasets = null;
  let saving = false;

  const nameInput = textInput({ placeholder: 'Enter training name' });
  const gpuSelect = customSelect({ options: [{ value: '0', label: 'GPU #0' }], value: '0' });
  const triggerInput = textInput({ placeholder: '' });
  const pathInput = textInput({ value: 'ostris/Flex.1-alpha' });
  const archSelect = customSelect({ options: ARCHITECTURES, value: 'flex1', onChange: (arch) => {
    const chosen = ARCHITECTURES.find((a) => a.value === arch);
    if (chosen) pathInput.value = chosen.path;
  } });
  const stepsInput = numberInput({ placeholder: 'eg. 2000', value: '3000', min: 1 });
  const lrInput = numberInput({ placeholder: 'eg. 0.0001', value: '0.0001', step: 'any' });
  const datasetSelect = customSelect({ options: [], value: null, placeholder: 'Select dataset' });
  const promptList = h('div', { class: 'prompt-list' });
  const addPrompt = (text) => {
    const row = h('div', { class: 'prompt-row' }, textInput({ placeholder: 'Enter prompt', value: text, class: 'text-input prompt-input' }),
      iconButton('trash-2', () => row.remove(), 'icon-btn-danger'));
    promptList.append(row);
  };
  DEFAULT_PROMPTS.forEach(addPrompt);

  // c9843692 had no lock: its form is usable at once, and a dataset or GPU that has not arrived yet is
  // simply not chosen yet.
  const fieldset = h('fieldset', { class: 'job-form', disabled: !OLD_UI },
    h('div', { class: 'card-grid' },
      card('Job',
        field('Training Name', nameInput),
        field('GPU ID', gpuSelect.element),
        field('Trigger Word', triggerInput)),
      card('Model',
        field('Model Architecture', archSelect.element),
        field('Name or Path', pathInput)),
      card('Training',
        field('Steps', stepsInput),
        field('Learning Rate', lrInput)),
      card('Datasets',
        field('Target Dataset', datasetSelect.element))),
    card('Sample', promptList, h('button', { type: 'button', class: 'btn btn-secondary', onClick: () => addPrompt('') }, 'Add Prompt')));
  const overlay = h('div', { class: 'loading-overlay' }, 'Loading...');
  const saveLabel = editId ? 'Update Job' : 'Create Job';
  // app/jobs/new/page.tsx: "Create"/"Create Job", when editing "Update"/"Update Job".
  const saveNames = () => smLabel(editId ? 'Update' : 'Create', saveLabel);
  const saveButton = h('button', { type: 'submit', form: 'new-job-form', class: 'btn btn-green tb-btn', disabled: !OLD_UI }, ...saveNames());
  const form = h('form', { id: 'new-job-form', class: 'form-wrap', onSubmit: (event) => { event.preventDefault(); save(); } }, fieldset, OLD_UI ? null : overlay);
  // The title box is "flex-shrink-0"; its h1 is "truncate max-w-[120px] sm:max-w-none" (2026-08).
  main.append(topBar(h('div', { class: 'flex-shrink-0' }, h('h1', { class: 'page-title truncate new-job-title' }, editId ? 'Edit Training Job' : 'New Training Job')),
    h('div', { class: 'flex-1' }), h('div', { class: 'top-bar-actions flex-shrink-0' }, saveButton)), form);

  function unlockWhenReady() {
    if (OLD_UI || !scope.alive || !settings || !datasets || !gpuInfo.value) return;
    fieldset.disabled = false;
    overlay.remove();
    saveButton.disabled = false;
  }

  // 2025-10: useGPUInfo() asks /api/gpu once; later the monitor stream's samples.
  const gpu = OLD_UI ? store(null) : gpuInfo;
  if (OLD_UI) api('GET', '/api/gpu').then((answer) => gpu.set(answer)).catch(() => {});
  gpu.watch(scope, (info) => {
    const gpus = (info && info.gpus) || [];
    if (gpus.length) gpuSelect.setOptions(gpus.map((gpu, i) => { const index = String(gpu.index ?? i); return { value: index, label: `GPU #${index}` }; }));
    unlockWhenReady();
  });

  function fillFrom(job, asClone) {
    let config;
    try { config = typeof job.job_config === 'string' ? JSON.parse(job.job_config) : job.job_config; } catch (_) { return; }
    if (!config || !config.config || !Array.isArray(config.config.process)) return;
    baseConfig = config;
    const proc = config.config.process[0] || {};
    nameInput.value = asClone ? `${job.name}_copy` : job.name;
    gpuSelect.value = String(job.gpu_ids || '0');
    triggerInput.value = proc.trigger_word || '';
    if (proc.model) { archSelect.value = proc.model.arch; pathInput.value = proc.model.name_or_path || ''; }
    if (proc.train) { stepsInput.value = proc.train.steps ?? ''; lrInput.value = proc.train.lr ?? ''; }
    if (proc.datasets && proc.datasets[0]) datasetSelect.value = proc.datasets[0].folder_path;
    if (proc.sample && Array.isArray(proc.sample.samples)) {
      promptList.replaceChildren();
      proc.sample.samples.forEach((sample) => addPrompt(sample.prompt || ''));
    }
  }

  function buildConfig(name) {
    const config = JSON.parse(JSON.stringify(baseConfig));
    const proc = config.config.process[0];
    config.config.name = name;
    proc.training_folder = (settings && settings.TRAINING_FOLDER) || proc.training_folder;
    proc.trigger_word = triggerInput.value.trim() || null;
    proc.model = { ...proc.model, arch: archSelect.value, name_or_path: pathInput.value.trim() };
    proc.train = { ...proc.train, steps: parseInt(stepsInput.value, 10) || 3000, lr: parseFloat(lrInput.value) || 0.0001 };
    proc.datasets = [{ ...(proc.datasets && proc.datasets[0]), folder_path: datasetSelect.value || '' }];
    proc.sample = { ...proc.sample, samples: [...promptList.querySelectorAll('.prompt-input')].map((input) => input.value.trim()).filter(Boolean).map((prompt) => ({ prompt })) };
    return config;
  }

  async function save() {
    if (saving || fieldset.disabled) return;
    const name = nameInput.value.trim();
    if (!name) { alert('Please enter a training name.'); return; }
    saving = true;
    saveButton.disabled = true;
    saveButton.textContent = 'Saving...';
    try {
      const job = await api('POST', '/api/jobs', { id: editId || null, name, gpu_ids: gpuSelect.value || '0', job_config: buildConfig(name) });
      navigate(`/jobs/${job.id}`);
      return;
    } catch (error) {
      if (error.status === 409) alert('Training name already exists. Please choose a different name.');
      else if (error.status !== 401) alert(`Failed to save job: ${error.message}`);
    }
    saving = false;
    saveButton.disabled = false;
    saveButton.replaceChildren(...saveNames());
  }

  const settingsLoaded = api('GET', '/api/settings').then((answer) => { settings = answer || {}; unlockWhenReady(); });
  api('GET', '/api/datasets/list').then(async (names) => {
    await settingsLoaded;
    if (!scope.alive) return;
    datasets = names || [];
    const root = settings.DATASETS_FOLDER || '';
    datasetSelect.setOptions(datasets.map((n) => ({ value: `${root}/${n}`, label: n })));
    if (!datasetSelect.value && datasets.length) datasetSelect.value = `${root}/${datasets[0]}`;
    unlockWhenReady();
  }).catch(() => {});
  const sourceId = editId || cloneId;
  if (sourceId) api('GET', `/api/jobs?id=${encodeURIComponent(sourceId)}`).then((job) => { if (job && scope.alive) fillFrom(job, !editId); }).catch(() => {});
});
