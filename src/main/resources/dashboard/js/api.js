// Talks to Parley's HTTP API with the key the person signed in with. The key lives in this
// tab's sessionStorage only: it survives a reload, not the tab, and a sign-out removes it.

const KEY_NAME = 'parley.key';

export class ApiError extends Error {
  constructor(status, code, message, param = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_NAME);
}

export function rememberKey(key) {
  sessionStorage.setItem(KEY_NAME, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_NAME);
}

/** GET path?params as JSON. Throws ApiError with the server's message when it refuses. */
export async function getJson(path, params, key = storedKey()) {
  const response = await send(path, params, key, 'application/json');
  return response.json();
}

/** GET path?params as a Blob, for downloads. */
export async function getBlob(path, params, accept, key = storedKey()) {
  const response = await send(path, params, key, accept);
  return response.blob();
}

/** PUT a JSON body to path; answers the JSON the server sends back. */
export async function putJson(path, body, key = storedKey()) {
  const response = await send(path, null, key, 'application/json', {method: 'PUT', body: JSON.stringify(body)});
  return response.json();
}

async function send(path, params, key, accept, write = null) {
  const query = params ? '?' + params.toString() : '';
  const headers = {'Authorization': 'Bearer ' + key, 'Accept': accept};
  if (write !== null) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path + query, {
      method: write === null ? 'GET' : write.method,
      body: write === null ? undefined : write.body,
      headers,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server did not answer. Check that Parley is running and try again.');
  }
  if (!response.ok) {
    throw await errorOf(response);
  }
  return response;
}

/** The API's error body {"error": {code, message, param}}, or a plain description when there is none. */
async function errorOf(response) {
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.message === 'string') {
      return new ApiError(response.status, body.error.code, body.error.message, body.error.param);
    }
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(response.status, 'http_' + response.status,
      'The server answered ' + response.status + ' ' + response.statusText + '.');
}
