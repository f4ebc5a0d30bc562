{{%AUTOESCAPE context="HTML"}}{{! gpus.html.tpl - one row per GPU (only when the job had GPU telemetry). }}
{{#HAS_GPUS}}<section>
<h2>Energy per GPU</h2>
{{>TABLE}}
</section>{{/HAS_GPUS}}
