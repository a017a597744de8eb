// SlashID message templates (endpoint table 1, rows 74–76) and token template (rows 80–81).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { pathParameter } from '../../parameters.ts';
import {
  MAX_EMAIL_BODY_BYTES, MAX_HEADER_BYTES, MAX_SMS_BODY_BYTES, MAX_TOKEN_TEMPLATE_BYTES, TEMPLATE_NAMES,
} from '../../../domain/organization/templates.ts';
import { pathTarget } from './declaration-pieces.ts';

const templateName = pathParameter('template_name', { type: 'string', maxLength: 64 }, `One of ${TEMPLATE_NAMES.join(', ')}`);
const messageTemplate = {
  type: 'object',
  properties: {
    sender_name: { type: 'string', maxLength: MAX_HEADER_BYTES, description: `Mustache, at most ${MAX_HEADER_BYTES} bytes; empty for SMS templates` },
    subject: { type: 'string', maxLength: MAX_HEADER_BYTES, description: `Mustache, at most ${MAX_HEADER_BYTES} bytes; empty for SMS templates` },
    body: { type: 'string', maxLength: MAX_EMAIL_BODY_BYTES, description: `Mustache; e-mail HTML at most ${MAX_EMAIL_BODY_BYTES} bytes, SMS text at most ${MAX_SMS_BODY_BYTES}` },
  },
};

export const listTemplates = defineRoute(slashid, {
  method: 'GET', path: '/organizations/config/templates', summary: 'List available templates',
  operation: /* GraphQL */ `query ListTemplates { organization { messageTemplateNames } }`,
  respond: (data) => ({ body: data.organization.messageTemplateNames }),
  responseSchema: { type: 'array', items: { type: 'string', enum: [...TEMPLATE_NAMES] } },
});

export const getTemplate = defineRoute(slashid, {
  method: 'GET', path: '/organizations/config/templates/{template_name}', summary: 'Get the named template',
  ...pathTarget(templateName, 'name'),
  operation: /* GraphQL */ `
    query GetTemplate($name: String!) { organization { messageTemplate(name: $name) { sender_name: senderName subject body } } }`,
  respond: (data) => ({ body: data.organization.messageTemplate }),
  responseSchema: { ...messageTemplate, required: ['sender_name', 'subject', 'body'] },
});

export const putTemplate = defineRoute(slashid, {
  method: 'PUT', path: '/organizations/config/templates/{template_name}', summary: 'Modify the named template',
  parameters: [templateName, ...consistencyHeaders],
  body: { schema: messageTemplate, required: true },
  operation: /* GraphQL */ `
    mutation PutTemplate($name: String!, $template: MessageTemplateInput!) { setMessageTemplate(name: $name, template: $template) { id } }`,
  variables: ({ path, body }) => ({ name: path.template_name, template: { senderName: body.sender_name, subject: body.subject, body: body.body } }),
  status: 204,
});

export const getTokenTemplate = defineRoute(slashid, {
  method: 'GET', path: '/organizations/config/token-template', summary: "Get the organization's token template",
  operation: /* GraphQL */ `query GetTokenTemplate { organization { tokenTemplate } }`,
  respond: (data) => ({ body: { content: data.organization.tokenTemplate } }),
  responseSchema: { type: 'object', required: ['content'], properties: { content: { type: 'string' } } },
});

export const putTokenTemplate = defineRoute(slashid, {
  method: 'PUT', path: '/organizations/config/token-template', summary: "Modify the organization's token template",
  parameters: consistencyHeaders,
  body: {
    schema: {
      type: 'object', required: ['content'],
      properties: { content: { type: 'string', maxLength: MAX_TOKEN_TEMPLATE_BYTES, description: 'Mustache; must render to a JSON object; empty removes it' } },
    },
    required: true,
  },
  operation: /* GraphQL */ `mutation PutTokenTemplate($content: String!) { setTokenTemplate(content: $content) { id } }`,
  variables: ({ body }) => ({ content: body.content }),
  status: 204,
});
