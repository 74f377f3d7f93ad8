# Enabled after the Terraform front end (branch `tf`) is merged: see tests/ignores.rs.
resource "aws_s3_bucket_policy" "site" {
  bucket = "ml-demo-site"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      # mlpolicy: ignore[public-principal] static demo site, public by design
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::ml-demo-site/*"
    }]
  })
}
