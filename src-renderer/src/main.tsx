import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { chooseBridge } from './transport/choose-bridge';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const { bridge, connection } = chooseBridge();
createRoot(root).render(
  <StrictMode>
    <App bridge={bridge} connection={connection} />
  </StrictMode>,
);
