{{%AUTOESCAPE context="HTML"}}{{! gpus.html.tpl - one row per GPU (shown only when the job had GPU telemetry). }}
{{#HAS_GPUS}}<section>
<h2>Energy per GPU</h2>
<div class="scroll">
<table class="numbers">
<thead><tr><th scope="col">Node</th><th scope="col" class="text">GPU</th><th scope="col">kWh</th><th scope="col">Avg power</th><th scope="col">Peak power</th><th scope="col">Coverage</th></tr></thead>
<tbody>
{{#GPU}}<tr><th scope="row">{{HOST}}</th><td class="text">{{DEVICE}}</td><td>{{KWH}}</td><td>{{AVG}}</td><td>{{PEAK}}</td><td class="{{COV_CLASS}}">{{COVERAGE}}</td></tr>
{{/GPU}}</tbody>
</table>
</div>
</section>{{/HAS_GPUS}}
