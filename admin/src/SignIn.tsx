import { useState } from 'preact/hooks';
import { ApiError, apiClient } from './api.ts';

/** Asks for an API key and checks it with one authenticated call before keeping it. */
export function SignIn(props: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed === '') return setError('Enter your API key.');
    setBusy(true);
    setError(null);
    try {
      await apiClient(trimmed).call('GET', '/api/v1/products/?limit=1');
      props.onSignedIn(trimmed);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Signing in failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card sign-in" onSubmit={submit}>
      <h1>Sign in</h1>
      <label for="api-key">API key</label>
      <input id="api-key" type="password" autocomplete="off" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
      <button type="submit" disabled={busy}>Sign in</button>
      {error && <p role="alert" class="error">{error}</p>}
    </form>
  );
}
