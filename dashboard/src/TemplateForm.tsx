// Adds or changes one AI template: what the AI is told (system prompt, tone, length), what it
// should know from earlier conversations (conversation_context) and the business's own instructions
// (metadata.instructions). Only changed fields are sent, so an untouched default flag is never sent
// as false (the API refuses to leave the active templates without a default).
import { useState } from 'preact/hooks';
import { ApiError } from './apiClient.js';
import type { TemplateView } from './apiTypes.js';
import { FormFooter } from './FormFooter.js';
import type { PageProps } from './pageProps.js';
import { asApiError } from './useLoad.js';

export interface TemplateFormProps extends PageProps {
  /** The template to change; null adds a new one. */
  template: TemplateView | null;
  onSaved: (template: TemplateView) => void;
  onCancel: () => void;
}

type Fields = ReturnType<typeof fieldsOf>;

function fieldsOf(t: TemplateView | null) {
  const instructions = t?.metadata['instructions'];
  return {
    template_name: t?.template_name ?? '',
    system_prompt: t?.system_prompt ?? '',
    tone: t?.tone ?? '',
    max_response_length:
      t?.max_response_length === null || t?.max_response_length === undefined ? '' : String(t.max_response_length),
    is_active: t?.is_active ?? true,
    is_default: t?.is_default ?? false,
    conversation_context:
      t && Object.keys(t.conversation_context).length > 0 ? JSON.stringify(t.conversation_context, null, 2) : '',
    instructions: (Array.isArray(instructions) ? instructions : [instructions])
      .filter((i) => typeof i === 'string')
      .join('\n'),
  };
}

/** The request body: every field that differs from what was loaded, in the API's shapes. */
function bodyOf(template: TemplateView | null, before: Fields, after: Fields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const changed = (name: keyof Fields) => template === null || before[name] !== after[name];
  if (changed('template_name')) body['template_name'] = after.template_name;
  for (const name of ['system_prompt', 'tone'] as const) if (changed(name)) body[name] = after[name].trim() || null;
  // An emptied length means "no limit"; anything else goes as typed, so the API names a bad one.
  if (changed('max_response_length'))
    body['max_response_length'] = after.max_response_length.trim() === '' ? null : Number(after.max_response_length);
  if (changed('is_active')) body['is_active'] = after.is_active;
  if (template === null ? after.is_default : changed('is_default')) body['is_default'] = after.is_default;
  if (changed('conversation_context')) body['conversation_context'] = contextOf(after.conversation_context);
  if (changed('instructions')) {
    // Other metadata keys are kept as they are: the form edits only the instructions.
    const { instructions: _old, ...rest } = template?.metadata ?? {};
    const lines = after.instructions
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    body['metadata'] = lines.length > 0 ? { ...rest, instructions: lines } : rest;
  }
  return body;
}

function contextOf(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(
      0,
      'Invalid conversation context',
      'it is not valid JSON: write an object such as {"summary": "..."}',
      null,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(0, 'Invalid conversation context', 'it must be a JSON object such as {"summary": "..."}', null);
  }
  return value as Record<string, unknown>;
}

export function TemplateForm({ client, tenantId, template, onSaved, onCancel }: TemplateFormProps) {
  const [loaded] = useState(() => fieldsOf(template));
  const [fields, setFields] = useState(loaded);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (change: Partial<Fields>) => setFields({ ...fields, ...change });

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const body = bodyOf(template, loaded, fields);
      if (template && Object.keys(body).length === 0) return onCancel();
      setSaving(true);
      const saved = template
        ? await client.patch<TemplateView>(`/tenants/${tenantId}/templates/${template.id}`, body)
        : await client.post<TemplateView>(`/tenants/${tenantId}/templates`, body);
      onSaved(saved);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const title = template ? `Edit template ${template.template_name}` : 'New template';
  return (
    <form class="panel" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <label>
        Name
        <input
          required
          maxLength={255}
          value={fields.template_name}
          onInput={(e) => set({ template_name: e.currentTarget.value })}
        />
      </label>
      <label>
        System prompt (what the AI is told about the business and its job)
        <textarea
          rows={5}
          maxLength={8000}
          value={fields.system_prompt}
          onInput={(e) => set({ system_prompt: e.currentTarget.value })}
        />
      </label>
      <div class="row">
        <label>
          Tone
          <input
            list="template-tones"
            maxLength={32}
            placeholder="friendly"
            value={fields.tone}
            onInput={(e) => set({ tone: e.currentTarget.value })}
          />
          <datalist id="template-tones">
            <option value="friendly" />
            <option value="professional" />
            <option value="playful" />
          </datalist>
        </label>
        <label>
          Maximum answer length (characters; empty for none)
          <input
            type="number"
            min={1}
            max={4096}
            step={1}
            value={fields.max_response_length}
            onInput={(e) => set({ max_response_length: e.currentTarget.value })}
          />
        </label>
      </div>
      <label>
        Instructions (one a line; added to the rules the AI follows)
        <textarea rows={3} value={fields.instructions} onInput={(e) => set({ instructions: e.currentTarget.value })} />
      </label>
      <label>
        Conversation context (JSON: what the AI should know from earlier conversations)
        <textarea
          rows={4}
          spellcheck={false}
          placeholder='{"summary": "Most customers ask about beginner guitars"}'
          value={fields.conversation_context}
          onInput={(e) => set({ conversation_context: e.currentTarget.value })}
        />
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={fields.is_active}
          onChange={(e) =>
            set({ is_active: e.currentTarget.checked, is_default: e.currentTarget.checked && fields.is_default })
          }
        />
        Active
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={fields.is_default}
          disabled={!fields.is_active}
          onChange={(e) => set({ is_default: e.currentTarget.checked })}
        />
        Default (the template the bot uses)
      </label>
      <FormFooter error={error} saving={saving} saveLabel="Save template" onCancel={onCancel} />
    </form>
  );
}
