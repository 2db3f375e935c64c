// Lists, creates, edits and deletes the items of /data with fetch. No framework and no build step:
// the browser loads this file as it is. Items are arbitrary JSON objects; the server assigns "id".
// Every error the API returns ({"error": "...", "status": N}) is shown as the server sent it.

const API = '/data';

const form = document.getElementById('item-form');
const label = document.getElementById('form-label');
const textarea = document.getElementById('item-json');
const submit = document.getElementById('submit');
const cancel = document.getElementById('cancel');
const message = document.getElementById('message');
const table = document.getElementById('items');
const rows = table.querySelector('tbody');
const empty = document.getElementById('empty');
const newItemLabel = label.innerHTML;

/** The id of the item being edited, or null while the form creates a new one. */
let editing = null;

/** An error answer of the API, with the status and message the server sent. */
class ApiError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

/**
 * Sends one request to the API and returns its parsed JSON body. The body, when given, is sent
 * exactly as typed, so that the server (not this page) judges whether it is valid JSON.
 */
async function api(method, url, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = body;
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line below.
  }
  if (!response.ok) {
    const detail = json && typeof json.error === 'string' ? json.error : response.statusText || 'request failed';
    throw new ApiError(response.status, detail);
  }
  return json;
}

function show(text, isError) {
  message.textContent = text;
  message.classList.toggle('error', Boolean(isError));
}

function showError(action, e) {
  if (e instanceof ApiError) {
    show(`${action} failed: ${e.status} ${e.message}`, true);
  } else {
    show(`${action} failed: the server could not be reached (${e.message})`, true);
  }
}

/** The item without its id, as the text a user edits. */
function fieldsOf(item) {
  const { id, ...fields } = item;
  return fields;
}

function render(items) {
  rows.replaceChildren(...items.map(row));
  table.hidden = items.length === 0;
  empty.hidden = items.length !== 0;
}

function row(item) {
  const tr = document.createElement('tr');
  tr.dataset.id = item.id;
  const id = document.createElement('td');
  id.className = 'id';
  id.textContent = `#${item.id}`;
  const fields = document.createElement('td');
  const code = document.createElement('code');
  code.textContent = JSON.stringify(fieldsOf(item));
  fields.append(code);
  const actions = document.createElement('td');
  actions.className = 'row-actions';
  actions.append(button('Edit', () => startEditing(item)), button('Delete', () => remove(item.id)));
  tr.append(id, fields, actions);
  return tr;
}

function button(text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'quiet';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

async function load() {
  try {
    render(await api('GET', API));
  } catch (e) {
    showError('Loading the items', e);
  }
}

function startEditing(item) {
  editing = item.id;
  label.textContent = `Editing item #${item.id} (PUT replaces it and keeps its id)`;
  textarea.value = JSON.stringify(fieldsOf(item), null, 2);
  submit.textContent = `Save #${item.id}`;
  cancel.hidden = false;
  textarea.focus();
}

function stopEditing() {
  editing = null;
  label.innerHTML = newItemLabel;
  textarea.value = '';
  submit.textContent = 'Create';
  cancel.hidden = true;
}

async function save(event) {
  event.preventDefault();
  const body = textarea.value;
  const id = editing;
  try {
    if (id === null) {
      const created = await api('POST', API, body);
      show(`Created item #${created.id}.`);
    } else {
      await api('PUT', `${API}/${id}`, body);
      show(`Saved item #${id}.`);
    }
    stopEditing();
  } catch (e) {
    showError(id === null ? 'Creating the item' : `Saving item #${id}`, e);
    if (!(e instanceof ApiError && e.status === 404)) {
      return; // keep the text so that it can be fixed
    }
    stopEditing();
  }
  await load();
}

async function remove(id) {
  try {
    await api('DELETE', `${API}/${id}`);
    show(`Deleted item #${id}.`);
    if (editing === id) {
      stopEditing();
    }
  } catch (e) {
    showError(`Deleting item #${id}`, e);
  }
  await load();
}

form.addEventListener('submit', save);
cancel.addEventListener('click', () => {
  stopEditing();
  show('');
});
document.getElementById('reload').addEventListener('click', load);
load();
