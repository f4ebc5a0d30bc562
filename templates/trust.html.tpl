{{%AUTOESCAPE context="HTML"}}{{! trust.html.tpl - how far to trust the numbers: CO2 and cost
    under series that follow the clock; shown only when the job has any.
    The method paragraph says what they cover and what they do not. }}
{{#HAS_TRUST}}<section class="trust">
<h2>How far to trust these numbers</h2>
<table class="trust">
{{#ROW}}<tr><th scope="row">{{LABEL}}</th><td class="num">{{VALUE}}</td><td class="note">{{NOTE}}</td></tr>
{{/ROW}}</table>
{{#HAS_METHOD}}<p class="note">{{METHOD}}</p>{{/HAS_METHOD}}
</section>{{/HAS_TRUST}}
