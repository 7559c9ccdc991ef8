// The product page: choosing a variant shows its price and (EU) prior price and caps the quantity.
(function () {
  "use strict";
  var select = document.querySelector("select[data-variant-select]");
  if (!select) { return; }
  var price = document.getElementById("price");
  var prior = document.getElementById("prior");
  var quantity = document.getElementById("quantity");
  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    if (price) { price.textContent = option.getAttribute("data-price"); }
    if (prior) {
      var was = option.getAttribute("data-prior");
      prior.hidden = !was;
      if (was) { prior.textContent = prior.getAttribute("data-template").replace("{price}", was); }
    }
    if (quantity) { quantity.max = option.getAttribute("data-available"); }
  });
})();
