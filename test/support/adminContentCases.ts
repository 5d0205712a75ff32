// Bad input for every template, training, settings and message-log endpoint: each case is
// [method, path, JSON body, text the 400's details must contain].

export function badInputCases(ids: {
  tenantId: string;
  templateId: string;
  rowId: string;
}): [string, string, unknown, string][] {
  const templates = `/tenants/${ids.tenantId}/templates`;
  const training = `/tenants/${ids.tenantId}/training`;
  const settings = `/tenants/${ids.tenantId}/settings`;
  const messages = `/tenants/${ids.tenantId}/messages`;
  return [
    ['POST', templates, {}, 'body.template_name'],
    ['POST', templates, { template_name: 123 }, 'body.template_name'],
    ['POST', templates, { template_name: 'n'.repeat(256) }, 'body.template_name: must be at most 255'],
    ['POST', templates, { template_name: 'x', system_prompt: 'p'.repeat(8001) }, 'body.system_prompt'],
    ['POST', templates, { template_name: 'x', tone: 't'.repeat(33) }, 'body.tone'],
    ['POST', templates, { template_name: 'x', max_response_length: 4097 }, 'body.max_response_length'],
    ['POST', templates, { template_name: 'x', max_response_length: 1.5 }, 'body.max_response_length'],
    ['POST', templates, { template_name: 'x', max_response_length: '100' }, 'body.max_response_length'],
    ['POST', templates, { template_name: 'x', colour: 'red' }, 'body.colour: is not a known field'],
    ['POST', templates, { template_name: 'A\u0000B' }, 'body.template_name: must not contain NUL'],
    ['POST', templates, { template_name: 'x', metadata: { blob: 'm'.repeat(17_000) } }, 'body.metadata'],
    [
      'POST',
      templates,
      { template_name: 'x', conversation_context: ['not', 'an', 'object'] },
      'body.conversation_context',
    ],
    ['PATCH', `${templates}/${ids.templateId}`, {}, 'give at least one field'],
    ['PATCH', `${templates}/${ids.templateId}`, { is_default: 'yes' }, 'body.is_default'],
    ['POST', training, { question: 'Q?' }, 'body.answer'],
    ['POST', training, { question: 'Q?', answer: '   ' }, 'body.answer'],
    ['POST', training, { question: 'Q?', answer: 'A.', data_type: 'poem' }, 'body.data_type'],
    ['POST', training, { question: 'Q?', answer: 'A.', priority: 0 }, 'body.priority'],
    ['POST', training, { question: 'Q?', answer: 'A.', priority: 11 }, 'body.priority'],
    ['POST', training, { question: 'Q?', answer: 'A.', priority: '5' }, 'body.priority'],
    ['POST', training, { question: 'Q?', answer: 'A.', confidence_score: 1.5 }, 'body.confidence_score'],
    ['POST', training, { question: 'q'.repeat(4001), answer: 'A.' }, 'body.question: must be at most 4000'],
    ['POST', training, { question: 'Q?', answer: 'A.', id: ids.rowId }, 'body.id: is not a known field'],
    ['PUT', `${training}/${ids.rowId}`, { answer: null }, 'body.answer'],
    ['PUT', settings, {}, 'give at least one setting'],
    ['PUT', settings, { max_messages_per_hour: -1 }, 'body.max_messages_per_hour'],
    ['PUT', settings, { max_messages_per_hour: 1_000_001 }, 'body.max_messages_per_hour'],
    ['PUT', settings, { max_messages_per_user_per_day: '50' }, 'body.max_messages_per_user_per_day'],
    ['PUT', settings, { is_bot_enabled: 'false' }, 'body.is_bot_enabled'],
    ['PUT', settings, { escalation_email: 'not-an-email' }, 'body.escalation_email'],
    ['PUT', settings, { escalation_phone: "0700'; DROP TABLE x; --" }, 'body.escalation_phone'],
    ['PUT', settings, { metadata: { faq_threshold: 0 } }, 'body.metadata.faq_threshold'],
    ['PUT', settings, { metadata: { faq_threshold: 1.5 } }, 'body.metadata.faq_threshold'],
    ['PUT', settings, { is_admin: true, log_errors: false }, 'body.is_admin: is not a known field'],
    ['GET', `${messages}?direction=sideways`, undefined, 'query.direction'],
    ['GET', `${messages}?from=yesterday`, undefined, 'query.from'],
    ['GET', `${messages}?from=2024-03-05&to=2024-03-01`, undefined, 'from must be before to'],
    ['GET', `${messages}?limit=1000`, undefined, 'query.limit'],
    ['GET', `${messages}?user_phone=abc`, undefined, 'query.user_phone'],
    ['GET', `${messages}?phone=254700000001`, undefined, 'query.phone: is not a known field'],
    ['GET', `${training}?is_active=maybe`, undefined, 'query.is_active'],
    ['GET', `${training}/export?format=xml`, undefined, 'query.format'],
    ['POST', `${training}/import?mode=merge`, { rows: [{ question: 'Q', answer: 'A' }] }, 'query.mode'],
    ['POST', `${training}/import`, { rows: [] }, 'The import has no rows'],
    ['POST', `${training}/import`, { rows: 'question,answer' }, 'body.rows'],
    ['POST', `${training}/import`, { rows: [], extra: 1 }, 'body.extra: is not a known field'],
  ];
}

/** [CSV body, status, text the details must contain]. */
export const BAD_CSV_CASES: [csv: string, status: number, details: string][] = [
  ['question,answer,colour\nQ,A,red', 400, 'Unknown CSV column: "colour"'],
  ['answer,priority\nA,5', 400, 'question'],
  ['question,answer\n"unclosed,A', 400, 'The CSV could not be read'],
  ['', 400, 'The CSV is empty'],
  [`question,answer\nQ,"${'a'.repeat(4001)}"`, 422, 'rows are invalid'],
];
