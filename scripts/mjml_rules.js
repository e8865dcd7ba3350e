#!/usr/bin/env node
// Dumps node MJML's own component rules into digest/render/mjml_rules.json,
// the table digest's template validator follows (node is never needed at run time).
//
//   mkdir -p /tmp/mjmlnode && cd /tmp/mjmlnode && npm install mjml@4
//   node scripts/mjml_rules.js /tmp/mjmlnode > digest/render/mjml_rules.json
//
// The rules are those of mjml-validator (validTag, validAttributes,
// validChildren, validTypes): the components MJML registers with their
// allowedAttributes, the dependencies that say which children a parent takes,
// and the colour names of mjml-core's colour type.
'use strict'

const fs = require('fs')
const path = require('path')

const root = path.resolve(process.argv[2] || '.')
const resolve = (name) => require.resolve(name, { paths: [root] })
const load = (name) => require(resolve(name))

load('mjml') // registers the core preset's components and dependencies
const core = load('mjml-core')
const validator = load('mjml-validator')
const colors = load('mjml-core/lib/types/helpers/colors')

// Two lists live only inside the rules' source: the tags that are no
// component (validTag) and the attributes every component takes (validAttributes).
const ruleSource = (rule) => fs.readFileSync(resolve(`mjml-validator/lib/rules/${rule}.js`), 'utf8')
const arrayIn = (source, name) => {
  const match = source.match(new RegExp(`const ${name} = \\[([^\\]]*)\\]`))
  if (!match) throw new Error(`mjml-validator changed: no ${name} in its rules`)
  return JSON.parse(`[${match[1].replace(/'/g, '"')}]`)
}

const components = {}
for (const tag of Object.keys(core.components).sort()) {
  const component = core.components[tag]
  components[tag] = {
    ending_tag: Boolean(component.endingTag),
    attributes: component.allowedAttributes || {},
  }
}

const children = {}
for (const parent of Object.keys(validator.dependencies).sort()) {
  const allowed = validator.dependencies[parent]
  children[parent] = {
    tags: allowed.filter((dep) => typeof dep === 'string'),
    patterns: allowed.filter((dep) => dep instanceof RegExp).map((dep) => dep.source),
  }
}

const table = {
  mjml: load('mjml/package.json').version,
  generated_by: 'scripts/mjml_rules.js',
  skip_elements: ['mjml'],
  componentless_tags: arrayIn(ruleSource('validTag'), 'componentLessTags'),
  global_attributes: arrayIn(ruleSource('validAttributes'), 'WHITELIST'),
  components,
  children,
  colors: colors.default || colors,
}
process.stdout.write(JSON.stringify(table, null, 1) + '\n')
