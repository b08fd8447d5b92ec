// Downloads every conversation that matches the filters through GET /v2/bots/conversations/export.
// A plain link cannot carry the Bearer header, so the file is fetched with it and handed to the
// browser as a Blob. The whole file passes through the tab's memory on the way.

import {ApiError, getBlob} from './api.js';
import {say} from './dom.js';
import {filterParams, filterProblem} from './query.js';

const FORMATS = {
  csv: {accept: 'text/csv', extension: 'csv', name: 'CSV'},
  ndjson: {accept: 'application/x-ndjson', extension: 'ndjson', name: 'NDJSON'},
};

export async function download(format, filters, message) {
  const kind = FORMATS[format];
  const problem = filterProblem(filters);
  if (problem) {
    say(message, problem, 'error');
    return;
  }
  const params = filterParams(filters);
  // NDJSON is the endpoint's default; only CSV needs asking for (SPEC §4).
  if (format === 'csv') {
    params.set('format', 'csv');
  }
  say(message, 'Preparing the ' + kind.name + ' file…');
  try {
    const blob = await getBlob('/v2/bots/conversations/export', params, kind.accept);
    const fileName = 'parley-conversations-' + today() + '.' + kind.extension;
    saveBlob(blob, fileName);
    say(message, 'Downloaded ' + fileName + ' (' + size(blob.size) + ').', 'success');
  } catch (error) {
    say(message, downloadProblem(error, kind), 'error');
  }
}

function downloadProblem(error, kind) {
  if (error instanceof ApiError && error.status === 404) {
    return 'The ' + kind.name + ' download is not available: this server has no export endpoint'
      + ' (GET /v2/bots/conversations/export answered 404).';
  }
  if (error instanceof ApiError && error.status === 401) {
    return 'Your key is no longer accepted. Sign out and sign in with a valid key.';
  }
  return 'The ' + kind.name + ' download failed: ' + error.message;
}

function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started the download from the url by now; a later revoke frees the memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function today() {
  const now = new Date();
  return now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0') + '-'
    + String(now.getDate()).padStart(2, '0');
}

function size(bytes) {
  if (bytes < 1024) {
    return bytes + ' bytes';
  }
  return bytes < 1024 * 1024 ? (bytes / 1024).toFixed(1) + ' kB' : (bytes / (1024 * 1024)).toFixed(1) + ' MB';
}
