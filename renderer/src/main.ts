import { mount } from 'svelte';
import App from './App.svelte';
// In this order: each sheet may build on the ones before it, as the one app.css did.
import './styles/base.css';
import './styles/layout.css';
import './styles/project.css';
import './styles/checklist.css';
import './styles/queue-and-trends.css';
import './styles/cycles.css';
import './styles/log-and-reports.css';
import './styles/settings.css';
import './styles/preflight.css';
import './styles/plan.css';

mount(App, { target: document.getElementById('app')! });
