# Terraform without any policy: nothing to lint, nothing wrong.
resource "aws_s3_bucket" "data" {
  bucket = "ml-data-${var.env}"
}

variable "env" {
  type = string
}
