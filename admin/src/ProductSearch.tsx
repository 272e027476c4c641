import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient, type Product } from './api.ts';
import { navigate, productPath } from './navigation.ts';

/** Products by SKU or name as you type; results are links to their galleries. */
export function ProductSearch(props: { api: ApiClient }) {
  const [term, setTerm] = useState('');
  const [results, setResults] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const trimmed = term.trim();
    if (trimmed === '') return setResults(null);
    let current = true;
    const timer = setTimeout(() => {
      props.api.searchProducts(trimmed).then(
        (page) => current && (setResults(page.results), setError(null)),
        (failure) => current && setError(failure instanceof ApiError ? failure.message : 'Search failed.'),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [term, props.api]);

  return (
    <section class="search" aria-label="Find a product">
      <label for="product-search">Search products</label>
      <input id="product-search" type="search" value={term} onInput={(event) => setTerm(event.currentTarget.value)} placeholder="SKU or name" />
      {error && <p role="alert" class="error">{error}</p>}
      {results && (
        <>
          <p class="status" aria-live="polite">{results.length === 0 ? 'No products found.' : `${results.length} product${results.length === 1 ? '' : 's'} found.`}</p>
          <ul class="results">
            {results.map((product) => (
              <li key={product.pk}>
                <a href={productPath(product.pk)} onClick={(event) => { event.preventDefault(); setTerm(''); navigate(productPath(product.pk)); }}>
                  {product.sku}{product.name ? ` — ${product.name}` : ''}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
