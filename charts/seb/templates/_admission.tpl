{{/*
  seb's admission policy from the chart's values (admission.*) and the release namespace, for both
  layers: the webhook's configuration (seb.admission.env) and the CEL of the registrations and the
  ValidatingAdmissionPolicies, which the generated templates build with seb.admission.cel.strings,
  seb.admission.cel.exemptions and seb.admission.namespace. Every value is checked here as well as
  by values.schema.json (which --skip-schema-validation turns off): each goes into a CEL string
  literal, so a quote or a backslash, or anything outside its pattern, fails the render.
*/}}

{{/* The pattern each admission.* list's entries must match (values.schema.json has the same). */}}
{{- define "seb.admission.patterns" -}}
{{- $group := "^[A-Za-z0-9][-A-Za-z0-9:._@/+=]*$" -}}
{{- $name := "[a-z0-9]([-a-z0-9.]*[a-z0-9])?" -}}
{{- $type := printf "(%s)?/%s(/%s)?" $name $name $name -}}
breakGlassGroups: {{ $group | quote }}
adminGroups: {{ $group | quote }}
retentionGroups: {{ $group | quote }}
protectionAdminGroups: {{ $group | quote }}
exemptUsers: {{ "^[A-Za-z0-9][-A-Za-z0-9:._@/+=]*[*]?$" | quote }}
workloadExemptions: {{ printf "^%s/%s=%s(,%s)*$" $name $name $type $type | quote }}
{{- end }}

{{/*
  The release namespace, checked: it names seb's ServiceAccounts inside CEL string literals.
*/}}
{{- define "seb.admission.namespace" -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" .Release.Namespace) -}}
{{- fail (printf "the release namespace %q is not a namespace name (seb puts it into its admission rules)" .Release.Namespace) -}}
{{- end -}}
{{- .Release.Namespace -}}
{{- end }}

{{/*
  One admission.* list (.key) of the values (.root), checked, as a JSON array in the values' order.
  A quote, a backslash, or an entry outside the key's pattern fails the render, naming the value.
*/}}
{{- define "seb.admission.list" -}}
{{- $key := .key -}}
{{- $values := index (.root.Values.admission | default dict) $key | default list -}}
{{- if not (kindIs "slice" $values) -}}
{{- fail (printf "admission.%s must be a list" $key) -}}
{{- end -}}
{{- $pattern := index (include "seb.admission.patterns" . | fromYaml) $key -}}
{{- $checked := list -}}
{{- range $values -}}
{{- if not (kindIs "string" .) -}}
{{- fail (printf "admission.%s: %v is not a string" $key .) -}}
{{- end -}}
{{- if or (contains "'" .) (contains "\\" .) (contains "\"" .) -}}
{{- fail (printf "admission.%s: %q contains a quote or a backslash; seb puts these values into CEL string literals and accepts neither" $key .) -}}
{{- end -}}
{{- if not (regexMatch $pattern .) -}}
{{- fail (printf "admission.%s: %q does not match %s" $key . $pattern) -}}
{{- end -}}
{{- $checked = append $checked . -}}
{{- end -}}
{{- toJson $checked -}}
{{- end }}

{{/*
  One admission.* list (.key) of the values (.root) as a CEL list literal, sorted as seb's generator
  sorts it (groups without duplicates): ['a', 'b'], or [].
*/}}
{{- define "seb.admission.cel.strings" -}}
{{- $values := include "seb.admission.list" . | fromJsonArray -}}
{{- if ne .key "exemptUsers" -}}
{{- $values = uniq $values -}}
{{- end -}}
{{- $quoted := list -}}
{{- range sortAlpha $values -}}
{{- $quoted = append $quoted (printf "'%s'" .) -}}
{{- end -}}
[{{ join ", " $quoted }}]
{{- end }}

{{/*
  admission.workloadExemptions as a CEL list literal of [user, namespace, type] triples, one per
  exempt type (group/resource[/subresource], sorted within an exemption), the exemptions in order.
*/}}
{{- define "seb.admission.cel.exemptions" -}}
{{- $triples := list -}}
{{- range include "seb.admission.list" (dict "root" . "key" "workloadExemptions") | fromJsonArray -}}
{{- $entry := splitn "=" 2 . -}}
{{- $account := splitList "/" $entry._0 -}}
{{- $namespace := first $account -}}
{{- $user := printf "system:serviceaccount:%s:%s" $namespace (last $account) -}}
{{- range splitList "," $entry._1 | uniq | sortAlpha -}}
{{- $triples = append $triples (printf "['%s', '%s', '%s']" $user $namespace .) -}}
{{- end -}}
{{- end -}}
[{{ join ", " $triples }}]
{{- end }}

{{/*
  The admission webhook's env: the same policy as the registrations and the policies (seb.admission.*,
  AdmissionConfig). Every list is set, an empty one as "", and SEB_ADMISSION_DEFAULTS_FOR_UNSET_LISTS
  is false, so an empty list means none, never seb's defaults. Entries are joined by commas, a comma
  inside one (a workload exemption's types) escaped as "\,".
*/}}
{{- define "seb.admission.env" -}}
- name: SEB_ADMISSION_SEB_NAMESPACE
  value: {{ include "seb.admission.namespace" . | quote }}
- name: SEB_ADMISSION_BROKER_SERVICE_ACCOUNT
  value: "seb-broker"
- name: SEB_ADMISSION_OPERATOR_SERVICE_ACCOUNT
  value: "seb-operator"
- name: SEB_ADMISSION_DEFAULTS_FOR_UNSET_LISTS
  value: "false"
{{- range $key, $env := dict "breakGlassGroups" "BREAK_GLASS_GROUPS" "adminGroups" "ADMIN_GROUPS" "retentionGroups" "RETENTION_GROUPS" "protectionAdminGroups" "PROTECTION_ADMIN_GROUPS" "exemptUsers" "EXEMPT_USERS" "workloadExemptions" "WORKLOAD_EXEMPTIONS" }}
{{- $escaped := list -}}
{{- range include "seb.admission.list" (dict "root" $ "key" $key) | fromJsonArray -}}
{{- $escaped = append $escaped (replace "," "\\," .) -}}
{{- end }}
- name: SEB_ADMISSION_{{ $env }}
  value: {{ join "," $escaped | quote }}
{{- end }}
{{- end }}

{{/* The broker's env that depends on the release namespace: its own, and the webhook's identity. */}}
{{- define "seb.broker.env" -}}
- name: SEB_BROKER_NAMESPACE
  value: {{ include "seb.admission.namespace" . | quote }}
- name: SEB_BROKER_NOTICE_CALLER
  value: {{ printf "system:serviceaccount:%s:seb-admission-webhook" (include "seb.admission.namespace" .) | quote }}
{{- end }}

{{/* The operator's env that depends on the release namespace: where its leader lease lives. */}}
{{- define "seb.operator.env" -}}
- name: SEB_OPERATOR_NAMESPACE
  value: {{ include "seb.admission.namespace" . | quote }}
{{- end }}
