import { useEffect, useState } from 'react';

// Light, dark, or the system's preference (prefers-color-scheme), kept in
// localStorage: a reader's setting, not part of a shared link.

type Theme = 'system' | 'light' | 'dark';
const storageKey = 'tracehouse.theme';
const order: Theme[] = ['system', 'light', 'dark'];

export function readTheme(): Theme {
  const stored = localStorage.getItem(storageKey);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function applyTheme(theme: Theme): void {
  const dark = theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  window.dispatchEvent(new Event('tracehouse-theme'));
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(readTheme);
  useEffect(() => {
    applyTheme(theme);
    if (theme === 'system') localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, theme);
    const media = matchMedia('(prefers-color-scheme: dark)');
    const follow = () => applyTheme(theme);
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [theme]);
  const next = order[(order.indexOf(theme) + 1) % order.length]!;
  return (
    <button type="button" className="theme-toggle" aria-label={`Theme: ${theme}. Switch to ${next}`} onClick={() => setTheme(next)}>
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'} {theme}
    </button>
  );
}

/** Bumps when the theme changes, so canvas charts redraw with the new colours. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    window.addEventListener('tracehouse-theme', bump);
    return () => window.removeEventListener('tracehouse-theme', bump);
  }, []);
  return version;
}
