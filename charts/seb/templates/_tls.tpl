{{/*
  The webhook's serving certificate when cert-manager is not used: a CA and a certificate it signed
  for the webhook's Service, generated once and kept in the Secret seb-admission-webhook-tls across
  upgrades (read back with lookup), renewed together on the first upgrade after the Secret's
  seb.dev/renew-after time. The registrations trust the new and the previous CA until the next
  upgrade, so webhook pods still serving the old certificate (the kubelet refreshes the mounted
  Secret within a minute, the webhook reloads it within 30 s) keep being trusted. Computed once per
  render (memoised in .Values) so the Secret and the registrations agree.
  Returns YAML: crt, key, ca (PEM), caBundle (base64 PEM of the CA(s) to trust), renewAfter.
*/}}
{{- define "seb.webhook.tls" -}}
{{- if not (hasKey .Values "__sebWebhookTls") -}}
{{- $name := "seb-admission-webhook-tls" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace $name -}}
{{- $now := now | unixEpoch | atoi -}}
{{- $tls := dict -}}
{{- $keep := false -}}
{{- if and $existing $existing.data (hasKey $existing.data "tls.crt") (hasKey $existing.data "tls.key") (hasKey $existing.data "ca.crt") -}}
{{- $renewAfter := (index ($existing.metadata.annotations | default dict) "seb.dev/renew-after") | default "0" | atoi -}}
{{- if lt $now $renewAfter -}}
{{- $keep = true -}}
{{- $_ := set $tls "crt" (index $existing.data "tls.crt" | b64dec) -}}
{{- $_ := set $tls "key" (index $existing.data "tls.key" | b64dec) -}}
{{- $_ := set $tls "ca" (index $existing.data "ca.crt" | b64dec) -}}
{{- $_ := set $tls "caBundle" (index $existing.data "ca.crt") -}}
{{- $_ := set $tls "renewAfter" (toString $renewAfter) -}}
{{- end -}}
{{- end -}}
{{- if not $keep -}}
{{- $days := int .Values.selfManagedTls.validityDays -}}
{{- $host := include "seb.webhook.host" . -}}
{{- $ca := genCA "seb-admission-webhook-ca" $days -}}
{{- $cert := genSignedCert $host nil (list $host (printf "%s.cluster.local" $host) (printf "seb-admission-webhook.%s" .Release.Namespace)) $days $ca -}}
{{- $_ := set $tls "crt" $cert.Cert -}}
{{- $_ := set $tls "key" $cert.Key -}}
{{- $_ := set $tls "ca" $ca.Cert -}}
{{- $bundle := $ca.Cert -}}
{{- if and $existing $existing.data (hasKey $existing.data "ca.crt") -}}
{{- $bundle = printf "%s\n%s" $ca.Cert (index $existing.data "ca.crt" | b64dec) -}}
{{- end -}}
{{- $_ := set $tls "caBundle" ($bundle | b64enc) -}}
{{- $renew := sub (add $now (mul $days 86400)) (mul (int .Values.selfManagedTls.renewBeforeDays) 86400) -}}
{{- $_ := set $tls "renewAfter" (toString $renew) -}}
{{- end -}}
{{- $_ := set .Values "__sebWebhookTls" $tls -}}
{{- end -}}
{{- toYaml (get .Values "__sebWebhookTls") -}}
{{- end }}

{{/*
  The caBundle of the webhook registrations: webhook.caBundle for a webhook at webhook.url; empty
  with cert-manager (its cainjector fills it); otherwise the self-managed CA(s).
*/}}
{{- define "seb.webhook.caBundle" -}}
{{- if .Values.webhook.url -}}
{{- .Values.webhook.caBundle -}}
{{- else if not .Values.certManager.enabled -}}
{{- (include "seb.webhook.tls" . | fromYaml).caBundle -}}
{{- end -}}
{{- end }}

{{/*
  The clientConfig of one webhook registration, for the path given as .path: the webhook's Service
  (or webhook.url) and the caBundle. Used by the generated registrations.
*/}}
{{- define "seb.webhook.clientConfig" -}}
{{- $root := .root -}}
{{- if $root.Values.webhook.url -}}
url: {{ printf "%s%s" $root.Values.webhook.url .path | quote }}
{{- else -}}
service:
  name: seb-admission-webhook
  namespace: {{ $root.Release.Namespace | quote }}
  path: {{ printf "/%s" .path | quote }}
  port: 443
{{- end }}
{{- with include "seb.webhook.caBundle" $root }}
caBundle: {{ . | quote }}
{{- end }}
{{- end }}

{{/* The annotations of the registrations: cert-manager's CA injection when it serves the webhook. */}}
{{- define "seb.webhook.registrationAnnotations" -}}
{{- if and .Values.certManager.enabled (not .Values.webhook.url) -}}
cert-manager.io/inject-ca-from: {{ printf "%s/seb-admission-webhook" .Release.Namespace | quote }}
{{- end -}}
{{- end }}
