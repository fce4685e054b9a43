#include "serialize.h"

#include "json.h"
#include "streams.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

/* ---- list items left out ------------------------------------------------------------------------ */

static void buf_cstr(buf *b, const char *s) {
  while (*s) buf_char(b, *s++);
}

/* One line on stderr: "wacpy: <list>: skipped <what> `<key>`: <why>". */
static void report_skipped(const char *list, const char *what, str key, const char *why) {
  buf line = {0};
  buf_lit(&line, "wacpy: ");
  buf_cstr(&line, list);
  buf_lit(&line, ": skipped ");
  buf_cstr(&line, what);
  buf_lit(&line, " `");
  buf_put(&line, key.ptr, key.len);
  buf_lit(&line, "`: ");
  buf_cstr(&line, why);
  buf_char(&line, '\n');
  wasi_io_streams_output_stream stderr_stream = wasi_cli_stderr_get_stderr();
  stream_write_all(stderr_stream, line.buf, line.len);
  wasi_io_streams_output_stream_drop(stderr_stream);
}

/* The keys of a list's items, to find repeats: open addressing over FNV-1a hashes. */
typedef struct {
  str *slots;
  uint32_t mask;
} key_set;

static key_set key_set_for(uint32_t items) {
  uint32_t size = 16;
  while (size < 2 * items) size <<= 1;
  str *slots = mem_alloc(sizeof(str) * size, 4);
  memset(slots, 0, sizeof(str) * size); /* arena memory is not zeroed once an instance is reused */
  return (key_set){slots, size - 1};
}

/* 1 when `key` is in the set already; else adds it. */
static int seen_before(key_set *set, str key) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < key.len; i++) h = (h ^ (uint8_t)key.ptr[i]) * 16777619u;
  for (uint32_t i = h & set->mask;; i = (i + 1) & set->mask) {
    str *slot = &set->slots[i];
    if (!slot->ptr) { /* free: a stored key's pointer is never null */
      *slot = key.ptr ? key : STR("");
      return 0;
    }
    if (str_eq(*slot, key)) return 1;
  }
}

/* The list being written: its name, the kind and key of each item, and how many went out. */
typedef struct {
  buf *out;
  const char *list, *what;
  key_set keys;
  uint32_t written;
  uint32_t mark; /* where the current item starts, to take it back */
} list_writer;

static list_writer list_begin(buf *b, const char *list, const char *what, uint32_t items) {
  return (list_writer){b, list, what, key_set_for(items), 0, 0};
}

/* Start an item with key `key`; 0 (and nothing written) when the key came earlier. */
static int item_begin(list_writer *w, str key) {
  if (seen_before(&w->keys, key)) {
    report_skipped(w->list, w->what, key, "listed earlier in the chain (the first wins)");
    return 0;
  }
  w->mark = w->out->len;
  if (w->written) buf_char(w->out, ',');
  return 1;
}

static void item_end(list_writer *w) { w->written++; }

/* Take back the current item: `why` it could not be written. */
static void item_drop(list_writer *w, str key, const char *why) {
  w->out->len = w->mark;
  report_skipped(w->list, w->what, key, why);
}

/* `,"name":"value"` when the option is set. */
static void opt_field(buf *b, const char *name, size_t name_len, const wacpy_option_string *value) {
  if (!value->is_some) return;
  buf_lit(b, ",\"");
  buf_put(b, name, name_len);
  buf_lit(b, "\":");
  buf_string(b, value->val);
}
#define OPT_FIELD(b, name, value) opt_field((b), (name), sizeof(name) - 1, (value))

/* `,"name":<json>` when the option is set. */
static int opt_json_field(buf *b, const char *name, size_t name_len, const wacpy_option_string *value) {
  if (!value->is_some) return 1;
  buf_lit(b, ",\"");
  buf_put(b, name, name_len);
  buf_lit(b, "\":");
  return buf_json(b, value->val);
}
#define OPT_JSON_FIELD(b, name, value) opt_json_field((b), (name), sizeof(name) - 1, (value))

static void icons(buf *b, wacpy_mcp_list_icon list) {
  if (!list.len) return;
  buf_lit(b, ",\"icons\":[");
  for (uint32_t i = 0; i < list.len; i++) {
    const wacpy_mcp_icon *icon = &list.ptr[i];
    if (i) buf_char(b, ',');
    buf_lit(b, "{\"src\":");
    buf_string(b, icon->src);
    OPT_FIELD(b, "mimeType", &icon->mime_type);
    if (icon->sizes.len) {
      buf_lit(b, ",\"sizes\":[");
      for (uint32_t k = 0; k < icon->sizes.len; k++) {
        if (k) buf_char(b, ',');
        buf_string(b, icon->sizes.ptr[k]);
      }
      buf_char(b, ']');
    }
    buf_char(b, '}');
  }
  buf_char(b, ']');
}

static void annotations(buf *b, const wacpy_mcp_option_annotations *a) {
  if (!a->is_some) return;
  buf_lit(b, ",\"annotations\":{");
  int first = 1;
  if (a->val.audience.len) {
    buf_lit(b, "\"audience\":[");
    for (uint32_t i = 0; i < a->val.audience.len; i++) {
      if (i) buf_char(b, ',');
      if (a->val.audience.ptr[i] == WACPY_MCP_ROLE_USER) buf_lit(b, "\"user\"");
      else buf_lit(b, "\"assistant\"");
    }
    buf_char(b, ']');
    first = 0;
  }
  if (a->val.priority.is_some) {
    if (!first) buf_char(b, ',');
    buf_lit(b, "\"priority\":");
    buf_f64(b, a->val.priority.val);
    first = 0;
  }
  if (a->val.last_modified.is_some) {
    if (!first) buf_char(b, ',');
    buf_lit(b, "\"lastModified\":");
    buf_string(b, a->val.last_modified.val);
  }
  buf_char(b, '}');
}

static void resource_contents_json(buf *b, const wacpy_mcp_resource_contents *c) {
  const wacpy_mcp_text_resource_contents *t = &c->val.text;
  const wacpy_mcp_blob_resource_contents *blob = &c->val.blob;
  int text = c->tag == WACPY_MCP_RESOURCE_CONTENTS_TEXT;
  buf_lit(b, "{\"uri\":");
  buf_string(b, text ? t->uri : blob->uri);
  OPT_FIELD(b, "mimeType", text ? &t->mime_type : &blob->mime_type);
  if (text) {
    buf_lit(b, ",\"text\":");
    buf_string(b, t->text);
  } else {
    buf_lit(b, ",\"blob\":");
    buf_base64(b, blob->blob.ptr, blob->blob.len);
  }
  buf_char(b, '}');
}

static void content_block_json(buf *b, const wacpy_mcp_content_block *block) {
  /* `image` and `audio` are both media-content: one union member reads either. */
  const wacpy_mcp_media_content *media = &block->val.image;
  switch (block->tag) {
    case WACPY_MCP_CONTENT_BLOCK_TEXT:
      buf_lit(b, "{\"type\":\"text\",\"text\":");
      buf_string(b, block->val.text.text);
      annotations(b, &block->val.text.annotations);
      break;
    case WACPY_MCP_CONTENT_BLOCK_IMAGE:
    case WACPY_MCP_CONTENT_BLOCK_AUDIO:
      if (block->tag == WACPY_MCP_CONTENT_BLOCK_IMAGE) buf_lit(b, "{\"type\":\"image\",\"data\":");
      else buf_lit(b, "{\"type\":\"audio\",\"data\":");
      buf_base64(b, media->data.ptr, media->data.len);
      buf_lit(b, ",\"mimeType\":");
      buf_string(b, media->mime_type);
      annotations(b, &media->annotations);
      break;
    case WACPY_MCP_CONTENT_BLOCK_RESOURCE_LINK: {
      const wacpy_mcp_resource_link *link = &block->val.resource_link;
      buf_lit(b, "{\"type\":\"resource_link\",\"uri\":");
      buf_string(b, link->uri);
      buf_lit(b, ",\"name\":");
      buf_string(b, link->name);
      OPT_FIELD(b, "title", &link->title);
      OPT_FIELD(b, "description", &link->description);
      OPT_FIELD(b, "mimeType", &link->mime_type);
      if (link->size.is_some) buf_lit(b, ",\"size\":"), buf_u64(b, link->size.val);
      break;
    }
    default:
      buf_lit(b, "{\"type\":\"resource\",\"resource\":");
      resource_contents_json(b, &block->val.embedded_resource.resource);
      annotations(b, &block->val.embedded_resource.annotations);
  }
  buf_char(b, '}');
}

void ser_capabilities(buf *b, uint16_t caps) {
  buf_char(b, '{');
  int first = 1;
  if (caps & (WACPY_MCP_CAPABILITIES_TOOLS | WACPY_MCP_CAPABILITIES_TOOLS_LIST_CHANGED)) {
    buf_lit(b, "\"tools\":{");
    if (caps & WACPY_MCP_CAPABILITIES_TOOLS_LIST_CHANGED) buf_lit(b, "\"listChanged\":true");
    buf_char(b, '}');
    first = 0;
  }
  if (caps & (WACPY_MCP_CAPABILITIES_RESOURCES | WACPY_MCP_CAPABILITIES_RESOURCES_SUBSCRIBE | WACPY_MCP_CAPABILITIES_RESOURCES_LIST_CHANGED)) {
    if (!first) buf_char(b, ',');
    buf_lit(b, "\"resources\":{");
    if (caps & WACPY_MCP_CAPABILITIES_RESOURCES_SUBSCRIBE) buf_lit(b, "\"subscribe\":true");
    if ((caps & WACPY_MCP_CAPABILITIES_RESOURCES_SUBSCRIBE) && (caps & WACPY_MCP_CAPABILITIES_RESOURCES_LIST_CHANGED)) buf_char(b, ',');
    if (caps & WACPY_MCP_CAPABILITIES_RESOURCES_LIST_CHANGED) buf_lit(b, "\"listChanged\":true");
    buf_char(b, '}');
    first = 0;
  }
  if (caps & (WACPY_MCP_CAPABILITIES_PROMPTS | WACPY_MCP_CAPABILITIES_PROMPTS_LIST_CHANGED)) {
    if (!first) buf_char(b, ',');
    buf_lit(b, "\"prompts\":{");
    if (caps & WACPY_MCP_CAPABILITIES_PROMPTS_LIST_CHANGED) buf_lit(b, "\"listChanged\":true");
    buf_char(b, '}');
    first = 0;
  }
  if (caps & WACPY_MCP_CAPABILITIES_COMPLETIONS) {
    if (!first) buf_char(b, ',');
    buf_lit(b, "\"completions\":{}");
    first = 0;
  }
  if (caps & WACPY_MCP_CAPABILITIES_LOGGING) {
    if (!first) buf_char(b, ',');
    buf_lit(b, "\"logging\":{}");
  }
  buf_char(b, '}');
}

void ser_server_info(buf *b, const wacpy_mcp_server_info *info) {
  buf_lit(b, "{\"name\":");
  buf_string(b, info->name);
  buf_lit(b, ",\"version\":");
  buf_string(b, info->version);
  OPT_FIELD(b, "title", &info->title);
  buf_char(b, '}');
}

void ser_initialize_result(buf *b, const wacpy_mcp_server_info *info, str protocol_version) {
  buf_lit(b, "{\"protocolVersion\":");
  buf_string(b, protocol_version);
  buf_lit(b, ",\"capabilities\":");
  ser_capabilities(b, info->capabilities);
  buf_lit(b, ",\"serverInfo\":");
  ser_server_info(b, info);
  OPT_FIELD(b, "instructions", &info->instructions);
  buf_char(b, '}');
}

/* Why a tool's verbatim JSON cannot be listed, or 0. */
static const char *tool_json_problem(const wacpy_mcp_tool *t) {
  if (json_kind(t->input_schema) != '{') return "its inputSchema is not a JSON object";
  if (t->output_schema.is_some && json_kind(t->output_schema.val) != '{')
    return "its outputSchema is not a JSON object";
  if (t->annotations.is_some && json_kind(t->annotations.val) != '{')
    return "its annotations are not a JSON object";
  return 0;
}

void ser_tools(buf *b, wacpy_mcp_list_tool tools) {
  buf_lit(b, "{\"tools\":[");
  list_writer w = list_begin(b, "tools/list", "tool", tools.len);
  for (uint32_t i = 0; i < tools.len; i++) {
    const wacpy_mcp_tool *t = &tools.ptr[i];
    str name = t->name;
    const char *problem = tool_json_problem(t);
    if (problem) {
      report_skipped(w.list, w.what, name, problem);
      continue;
    }
    if (!item_begin(&w, name)) continue;
    buf_lit(b, "{\"name\":");
    buf_string(b, name);
    OPT_FIELD(b, "title", &t->title);
    OPT_FIELD(b, "description", &t->description);
    buf_lit(b, ",\"inputSchema\":");
    problem = !buf_json(b, t->input_schema)                     ? "its inputSchema is not valid JSON"
              : !OPT_JSON_FIELD(b, "outputSchema", &t->output_schema) ? "its outputSchema is not valid JSON"
              : !OPT_JSON_FIELD(b, "annotations", &t->annotations)    ? "its annotations are not valid JSON"
                                                                       : 0;
    if (problem) {
      item_drop(&w, name, problem);
      continue;
    }
    icons(b, t->icons);
    buf_char(b, '}');
    item_end(&w);
  }
  buf_lit(b, "]}");
}

int ser_call_tool_result(buf *b, const wacpy_mcp_call_tool_result *result) {
  buf_lit(b, "{\"content\":[");
  for (uint32_t i = 0; i < result->content.len; i++) {
    if (i) buf_char(b, ',');
    content_block_json(b, &result->content.ptr[i]);
  }
  buf_char(b, ']');
  if (!OPT_JSON_FIELD(b, "structuredContent", &result->structured_content)) return 0;
  if (result->is_error) buf_lit(b, ",\"isError\":true");
  else buf_lit(b, ",\"isError\":false");
  buf_char(b, '}');
  return 1;
}

void ser_resources(buf *b, wacpy_mcp_list_resource resources) {
  buf_lit(b, "{\"resources\":[");
  list_writer w = list_begin(b, "resources/list", "resource", resources.len);
  for (uint32_t i = 0; i < resources.len; i++) {
    const wacpy_mcp_resource *r = &resources.ptr[i];
    if (!item_begin(&w, r->uri)) continue;
    buf_lit(b, "{\"uri\":");
    buf_string(b, r->uri);
    buf_lit(b, ",\"name\":");
    buf_string(b, r->name);
    OPT_FIELD(b, "title", &r->title);
    OPT_FIELD(b, "description", &r->description);
    OPT_FIELD(b, "mimeType", &r->mime_type);
    if (r->size.is_some) buf_lit(b, ",\"size\":"), buf_u64(b, r->size.val);
    icons(b, r->icons);
    buf_char(b, '}');
    item_end(&w);
  }
  buf_lit(b, "]}");
}

void ser_resource_templates(buf *b, wacpy_mcp_list_resource_template templates) {
  buf_lit(b, "{\"resourceTemplates\":[");
  list_writer w = list_begin(b, "resources/templates/list", "resource template", templates.len);
  for (uint32_t i = 0; i < templates.len; i++) {
    const wacpy_mcp_resource_template *t = &templates.ptr[i];
    if (!item_begin(&w, t->uri_template)) continue;
    buf_lit(b, "{\"uriTemplate\":");
    buf_string(b, t->uri_template);
    buf_lit(b, ",\"name\":");
    buf_string(b, t->name);
    OPT_FIELD(b, "title", &t->title);
    OPT_FIELD(b, "description", &t->description);
    OPT_FIELD(b, "mimeType", &t->mime_type);
    icons(b, t->icons);
    buf_char(b, '}');
    item_end(&w);
  }
  buf_lit(b, "]}");
}

void ser_read_resource_result(buf *b, wacpy_mcp_list_resource_contents contents) {
  buf_lit(b, "{\"contents\":[");
  for (uint32_t i = 0; i < contents.len; i++) {
    if (i) buf_char(b, ',');
    resource_contents_json(b, &contents.ptr[i]);
  }
  buf_lit(b, "]}");
}

void ser_prompts(buf *b, wacpy_mcp_list_prompt prompts) {
  buf_lit(b, "{\"prompts\":[");
  list_writer w = list_begin(b, "prompts/list", "prompt", prompts.len);
  for (uint32_t i = 0; i < prompts.len; i++) {
    const wacpy_mcp_prompt *p = &prompts.ptr[i];
    if (!item_begin(&w, p->name)) continue;
    buf_lit(b, "{\"name\":");
    buf_string(b, p->name);
    OPT_FIELD(b, "title", &p->title);
    OPT_FIELD(b, "description", &p->description);
    if (p->arguments.len) {
      buf_lit(b, ",\"arguments\":[");
      for (uint32_t k = 0; k < p->arguments.len; k++) {
        const wacpy_mcp_prompt_argument *a = &p->arguments.ptr[k];
        if (k) buf_char(b, ',');
        buf_lit(b, "{\"name\":");
        buf_string(b, a->name);
        OPT_FIELD(b, "title", &a->title);
        OPT_FIELD(b, "description", &a->description);
        if (a->required) buf_lit(b, ",\"required\":true}");
        else buf_lit(b, ",\"required\":false}");
      }
      buf_char(b, ']');
    }
    icons(b, p->icons);
    buf_char(b, '}');
    item_end(&w);
  }
  buf_lit(b, "]}");
}

void ser_get_prompt_result(buf *b, const wacpy_mcp_get_prompt_result *result) {
  buf_char(b, '{');
  if (result->description.is_some) {
    buf_lit(b, "\"description\":");
    buf_string(b, result->description.val);
    buf_char(b, ',');
  }
  buf_lit(b, "\"messages\":[");
  for (uint32_t i = 0; i < result->messages.len; i++) {
    const wacpy_mcp_prompt_message *m = &result->messages.ptr[i];
    if (i) buf_char(b, ',');
    if (m->role == WACPY_MCP_ROLE_USER) buf_lit(b, "{\"role\":\"user\",\"content\":");
    else buf_lit(b, "{\"role\":\"assistant\",\"content\":");
    content_block_json(b, &m->content);
    buf_char(b, '}');
  }
  buf_lit(b, "]}");
}

/* MCP caps one completion answer at 100 values. */
#define MAX_COMPLETION_VALUES 100

void ser_completion(buf *b, const wacpy_mcp_completion *c) {
  uint32_t n = c->values.len < MAX_COMPLETION_VALUES ? c->values.len : MAX_COMPLETION_VALUES;
  buf_lit(b, "{\"completion\":{\"values\":[");
  for (uint32_t i = 0; i < n; i++) {
    if (i) buf_char(b, ',');
    buf_string(b, c->values.ptr[i]);
  }
  buf_char(b, ']');
  if (c->total.is_some) buf_lit(b, ",\"total\":"), buf_u64(b, c->total.val);
  else if (n < c->values.len) buf_lit(b, ",\"total\":"), buf_u64(b, c->values.len);
  if (c->has_more || n < c->values.len) buf_lit(b, ",\"hasMore\":true");
  else buf_lit(b, ",\"hasMore\":false");
  buf_lit(b, "}}");
}

#pragma clang attribute pop
