// AI templates: what the AI is told when no FAQ answers. The default template is the one the bot
// uses; the rest wait to be made the default.
import { useState } from 'preact/hooks';
import type { ApiError } from './apiClient.js';
import type { TemplateView } from './apiTypes.js';
import { ErrorNote } from './ErrorNote.js';
import type { PageProps } from './pageProps.js';
import { TemplateForm } from './TemplateForm.js';
import { asApiError, useLoad } from './useLoad.js';

const PROMPT_PREVIEW_CHARS = 300;

export function TemplatesPage({ client, tenantId }: PageProps) {
  const [editing, setEditing] = useState<TemplateView | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const templates = useLoad(() => client.get<{ data: TemplateView[] }>(`/tenants/${tenantId}/templates`), [tenantId]);

  const edit = (template: TemplateView | 'new') => {
    setNotice(null);
    setActionError(null);
    setEditing(template);
  };
  const saved = (template: TemplateView) => {
    setNotice(
      `Saved "${template.template_name}". The bot uses ${template.is_default ? 'it' : 'the default template'} from the next message.`,
    );
    setEditing(null);
    templates.reload();
  };
  const remove = async (template: TemplateView) => {
    if (!window.confirm(`Delete the template "${template.template_name}"?`)) return;
    setActionError(null);
    try {
      await client.delete(`/tenants/${tenantId}/templates/${template.id}`);
      setNotice(`Deleted "${template.template_name}".`);
      if (editing !== 'new' && editing?.id === template.id) setEditing(null);
      templates.reload();
    } catch (err) {
      setActionError(asApiError(err));
    }
  };

  const list = templates.data?.data ?? [];
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">AI templates</h1>
      <p class="muted">
        When no FAQ answers, the AI is asked with the default template: its prompt, tone, length, instructions and
        context.
      </p>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => edit('new')}>
          New template
        </button>
      </div>
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={actionError} />
      {editing && (
        <TemplateForm
          key={editing === 'new' ? 'new' : editing.id}
          client={client}
          tenantId={tenantId}
          template={editing === 'new' ? null : editing}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      <ErrorNote error={templates.error} />
      {templates.loading && !templates.data && <p aria-live="polite">Loading templates…</p>}
      {templates.data && list.length === 0 && (
        <p class="muted">No template yet: the AI answers as a generic assistant for the business.</p>
      )}
      {list.length > 0 && (
        <ul class="faq-list templates">
          {list.map((template) => (
            <li key={template.id} class={template.is_active ? 'faq' : 'faq inactive'}>
              <p class="faq-q">
                {template.template_name}
                {template.is_default && <span class="badge"> Default</span>}
              </p>
              {template.system_prompt && <p class="faq-a">{preview(template.system_prompt)}</p>}
              <p class="muted">{factsOf(template)}</p>
              <div class="actions">
                <button
                  type="button"
                  onClick={() => edit(template)}
                  aria-label={`Edit template ${template.template_name}`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => remove(template)}
                  aria-label={`Delete template ${template.template_name}`}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function preview(text: string): string {
  return text.length <= PROMPT_PREVIEW_CHARS ? text : `${text.slice(0, PROMPT_PREVIEW_CHARS)}…`;
}

function factsOf(template: TemplateView): string {
  const contextEntries = Object.keys(template.conversation_context).length;
  return [
    template.tone ? `tone ${template.tone}` : 'no tone set',
    template.max_response_length ? `at most ${template.max_response_length} characters` : 'no length limit',
    contextEntries ? `${contextEntries} context entr${contextEntries === 1 ? 'y' : 'ies'}` : null,
    template.is_active ? null : 'inactive',
  ]
    .filter((fact) => fact !== null)
    .join(' · ');
}
