import { useMemo, useState } from 'preact/hooks';
import { apiClient } from './api.ts';
import { navigate, productPkOf, usePath, BASE } from './navigation.ts';
import { ProductPage } from './ProductPage.tsx';
import { ProductSearch } from './ProductSearch.tsx';
import { SignIn } from './SignIn.tsx';

/** The key lives in sessionStorage: this tab only, gone when it closes. */
const KEY_ITEM = 'gallery-admin-key';

export function App() {
  const [key, setKey] = useState<string | null>(() => sessionStorage.getItem(KEY_ITEM));
  const path = usePath();
  const api = useMemo(() => (key ? apiClient(key) : null), [key]);
  const productPk = productPkOf(path);

  const signIn = (newKey: string) => {
    sessionStorage.setItem(KEY_ITEM, newKey);
    setKey(newKey);
  };
  const signOut = () => {
    sessionStorage.removeItem(KEY_ITEM);
    setKey(null);
  };

  return (
    <>
      <header class="top">
        <a class="brand" href={BASE} onClick={(event) => { event.preventDefault(); navigate(BASE); }}>Gallery admin</a>
        {api && <button type="button" class="secondary" onClick={signOut}>Sign out</button>}
      </header>
      <main>
        {!api ? (
          <SignIn onSignedIn={signIn} />
        ) : (
          <>
            <ProductSearch api={api} />
            {productPk !== null ? <ProductPage key={productPk} api={api} productPk={productPk} /> : <p class="hint">Search for a product by SKU or name to open its gallery.</p>}
          </>
        )}
      </main>
    </>
  );
}
