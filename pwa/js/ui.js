// A few DOM helpers so screens read as markup.

/** h('button', {class: 'x', onclick, style: {width: '5%'}}, 'text', child) -> element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    // Through the CSSOM, which the Content-Security-Policy allows; a style="" attribute it
    // refuses (docs/security.md, "Response headers").
    else if (k === 'style') Object.assign(el.style, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function mount(root, ...children) {
  root.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
}

/** A message box; a plain object as the first child gives it attributes (`{ id }`). */
export function notice(kind, ...children) {
  const first = children[0];
  const attrs =
    first && typeof first === 'object' && !(first instanceof Node) && !Array.isArray(first)
      ? children.shift()
      : {};
  return h(
    'div',
    { class: `notice ${kind}`, role: kind === 'bad' ? 'alert' : 'status', ...attrs },
    ...children,
  );
}

let idCounter = 0;
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled input: returns {wrap, input}. */
export function field(labelText, inputAttrs = {}, hint) {
  const id = inputAttrs.id || uid();
  const input = h(inputAttrs.tag || 'input', { ...inputAttrs, tag: null, id });
  const wrap = h(
    'div',
    {},
    h('label', { for: id }, labelText, hint ? h('span', { class: 'hint' }, ` ${hint}`) : null),
    input,
  );
  return { wrap, input };
}

/** Under a field: its message, and the input outlined (aria-invalid) while it is wrong. */
export function fieldError(f) {
  const box = h('p', { class: 'error', id: `${f.input.name}-error` });
  f.wrap.append(box);
  return (text) => {
    mount(box, text || null);
    if (text) {
      f.input.setAttribute('aria-invalid', 'true');
      f.input.setAttribute('aria-describedby', box.id);
    } else {
      f.input.removeAttribute('aria-invalid');
      f.input.removeAttribute('aria-describedby');
    }
    return text ? f.input : null;
  };
}
