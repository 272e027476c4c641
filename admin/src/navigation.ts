import { useEffect, useState } from 'preact/hooks';

export const BASE = '/admin/';

/** The product a path opens (`/admin/products/<pk>`), or null. */
export function productPkOf(path: string): number | null {
  const match = /^\/admin\/products\/(\d{1,10})\/?$/.exec(path);
  return match ? Number(match[1]) : null;
}

export const productPath = (pk: number) => `${BASE}products/${pk}`;

/** Moves to a path of the page without a reload. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, following back/forward and {@link navigate}. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}
