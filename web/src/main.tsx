import { render } from 'preact';
import { App } from './app';
import { currentLanguage } from './i18n/i18n';

document.documentElement.lang = currentLanguage();
const root = document.getElementById('app');
if (root) render(<App />, root);
