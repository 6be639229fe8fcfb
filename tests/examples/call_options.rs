use std::time::Duration;
use stytch_magic_links::runtime::RetryPolicy;
use stytch_magic_links::types::{ApiMagicV1CreateRequest, ErrorResponse};
use stytch_magic_links::{Client, Error};

async fn create_with_options(client: &Client) -> Result<(), Error<ErrorResponse>> {
    let request = ApiMagicV1CreateRequest::new("user-test-...").with_expiration_minutes(60);
    let response = client
        .magic()
        .create(&request)
        .timeout(Duration::from_secs(5))
        .header("x-request-source", "billing")
        .retry(RetryPolicy::default().with_max_attempts(2))
        .await?;
    println!("{}", response.status());
    Ok(())
}
