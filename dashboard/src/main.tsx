// Entry point of the dashboard bundle.
import { render } from 'preact';
import { App } from './App.js';
import './styles.css';
import './content.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
