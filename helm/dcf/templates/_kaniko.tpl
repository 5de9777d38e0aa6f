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

{{/* build-service's dcf.build.kaniko.* settings as container env entries (the EnvVar list items). */}}
{{- define "dcf.kaniko.env" -}}
{{- $k := .Values.kaniko -}}
- name: DCF_BUILD_KANIKO_NAMESPACE
  value: {{ include "dcf.kaniko.namespace" . | quote }}
- name: DCF_BUILD_KANIKO_EXECUTORIMAGE
  value: {{ $k.executorImage | quote }}
- name: DCF_BUILD_KANIKO_FETCHERIMAGE
  value: {{ $k.fetcherImage | quote }}
- name: DCF_BUILD_KANIKO_CONTEXTURL
  value: {{ include "dcf.kaniko.contextUrl" . | quote }}
- name: DCF_BUILD_KANIKO_ACTIVEDEADLINE
  value: {{ printf "%ds" (int $k.activeDeadlineSeconds) | quote }}
- name: DCF_BUILD_KANIKO_TTLAFTERFINISHED
  value: {{ printf "%ds" (int $k.ttlSecondsAfterFinished) | quote }}
- name: DCF_BUILD_KANIKO_KEEPFINISHEDJOBS
  value: {{ $k.keepFinishedJobs | quote }}
- name: DCF_BUILD_KANIKO_REGISTRYSECRET
  value: {{ $k.registrySecret | quote }}
- name: DCF_BUILD_KANIKO_INSECUREREGISTRIES
  value: {{ join "," $k.insecureRegistries | quote }}
{{- range $container, $key := dict "executor" "EXECUTOR" "fetcher" "FETCHER" }}
{{- $r := index $k.resources $container }}
- name: DCF_BUILD_KANIKO_{{ $key }}_CPUREQUEST
  value: {{ dig "requests" "cpu" "" $r | toString | quote }}
- name: DCF_BUILD_KANIKO_{{ $key }}_MEMORYREQUEST
  value: {{ dig "requests" "memory" "" $r | toString | quote }}
- name: DCF_BUILD_KANIKO_{{ $key }}_CPULIMIT
  value: {{ dig "limits" "cpu" "" $r | toString | quote }}
- name: DCF_BUILD_KANIKO_{{ $key }}_MEMORYLIMIT
  value: {{ dig "limits" "memory" "" $r | toString | quote }}
{{- end }}
{{- end }}
