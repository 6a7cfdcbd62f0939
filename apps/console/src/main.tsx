import '@mantine/core/styles.css';
import './console.css';
import './i18n/i18n';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { client } from './api/client';
import { App } from './app';

// System fonts only: hubs run air-gapped, and a font from elsewhere would leak who reads.
const theme = createTheme({
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif',
  primaryShade: 8,
  defaultRadius: 'sm',
});

// Mantine's dimmed grey (gray.6, used for input descriptions) is 3.3:1 on white, below WCAG AA;
// gray.7 passes.
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <UrqlProvider value={client}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </UrqlProvider>
    </MantineProvider>
  </StrictMode>,
);
