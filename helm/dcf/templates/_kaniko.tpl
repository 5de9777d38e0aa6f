{{/* build-service's objects for Kaniko: <fullname>-build-service (at most 63 characters). */}}
{{- define "dcf.kaniko.name" -}}
{{- printf "%s-build-service" (include "dcf.fullname" . | trunc 49 | trimSuffix "-") }}
{{- end }}

{{/* The ServiceAccount build-service runs as, which the build namespace's Role is bound to. */}}
{{- define "dcf.kaniko.serviceAccountName" -}}
{{- include "dcf.kaniko.name" . }}
{{- end }}

{{/* The build namespace; fails when the chart would create the namespace it is installed in. */}}
{{- define "dcf.kaniko.namespace" -}}
{{- $ns := .Values.kaniko.namespace.name }}
{{- if and .Values.kaniko.namespace.create (eq $ns .Release.Namespace) }}
{{- fail (printf "kaniko.namespace.name: '%s' is the release's own namespace, which exists already; set kaniko.namespace.create=false to run builds there" $ns) }}
{{- end }}
{{- if and .Values.kaniko.namespace.create (eq $ns .Values.functionNamespace.name) }}
{{- fail (printf "kaniko.namespace.name: '%s' is the function namespace too; give builds their own namespace" $ns) }}
{{- end }}
{{- $ns }}
{{- end }}

{{/* The base URL build pods fetch contexts from. */}}
{{- define "dcf.kaniko.contextUrl" -}}
{{- if .Values.kaniko.contextUrl }}
{{- .Values.kaniko.contextUrl }}
{{- else }}
{{- printf "http://%s.%s.svc.%s:31114" (include "dcf.kaniko.name" .) .Release.Namespace .Values.gateway.clusterDomain }}
{{- end }}
{{- end }}
